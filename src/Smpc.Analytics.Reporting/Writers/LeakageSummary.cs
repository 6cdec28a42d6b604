namespace Smpc.Analytics.Reporting;

/// <summary>Reveals of a study grouped by audience: how many, how many values, and what kinds (distinct purposes).</summary>
public sealed record LeakageSummary(RevealAudienceKind Audience, int Reveals, long Elements, IReadOnlyList<string> Kinds)
{
    /// <summary>Distinct purposes listed per audience before "… and N more".</summary>
    public const int MaxKinds = 12;

    public static IReadOnlyList<LeakageSummary> Of(StudyReport report) =>
        [.. new[] { RevealAudienceKind.ComputeParties, RevealAudienceKind.Analyst }.Select(a =>
        {
            var reveals = report.AllReveals.Where(r => r.Audience == a).ToList();
            var kinds = reveals.GroupBy(r => r.Purpose).Select(g => g.Count() == 1 ? g.Key : $"{g.Key} (×{g.Count()})").ToList();
            if (kinds.Count > MaxKinds) kinds = [.. kinds.Take(MaxKinds), $"… and {kinds.Count - MaxKinds} more (see each release)"];
            return new LeakageSummary(a, reveals.Count, reveals.Sum(r => (long)r.Elements), kinds);
        })];
}
