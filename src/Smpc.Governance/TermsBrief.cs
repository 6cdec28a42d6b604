using System.Globalization;
using Smpc.Governance.DataUse;
using static System.FormattableString;

namespace Smpc.Governance;

/// <summary>
/// A terms version as a one-page brief for legal reviewers: plain sentences under the three distinctions of the field
/// report — (a) use and redisclosure, (b) what may be seen of the data, (c) who, where, under what controls and until
/// when — then what this version does not state (the defaults applied) and what changed from the previous version.
/// No jargon beyond the names the terms themselves use; every number and list comes from the document.
/// </summary>
public sealed record TermsBrief(string Title, string Subtitle, IReadOnlyList<BriefSection> Sections)
{
    public static TermsBrief Of(Dataset dataset, TermsVersion version)
    {
        var t = TermsClauses.Of(version.Terms);
        var previous = dataset.TermsVersions.Where(v => v.Version < version.Version).MaxBy(v => v.Version);
        var sections = new List<BriefSection>
        {
            new("Purpose", [t.Purpose]),
            new("(a) Use inside the project and redisclosure", Use(t.Use)),
            new("(b) What may be seen of the data", Access(t.Access)),
            new("(c) Who, where, under what controls, until when", Controls(t.Controls)),
        };
        if (t.Defaulted.Count > 0)
            sections.Add(new("Not stated in this version (defaults applied)",
                t.Defaulted.Select(f => $"{Cap(TermsClauses.Defaults[f])} ({f}).").ToList()));
        if (previous is not null)
            sections.Add(new($"Changes from version {previous.Version}", TermsDiff.Between(previous.CanonicalJson, version.CanonicalJson).Select(c => c.ToString()).ToList()));
        return new TermsBrief(
            $"Data-use terms of '{dataset.Name}', version {version.Version}",
            Invariant($"Data steward: {t.Steward}. Documented {version.DocumentedAt:yyyy-MM-dd}; terms format {t.FormatVersion}; SHA-256 {version.Hash}."),
            sections);
    }

    static List<string> Use(UseClause u)
    {
        var lines = new List<string>
        {
            u.AnyProjectPartner
                ? "Inside the project, released results may go to every organisation taking part in the study."
                : $"Inside the project, released results may go to: {List(u.ProjectRecipients)} (and the data's own organisation).",
            u.InternalUseOnly
                ? "Internal project use only: results may not be passed on to anyone outside the project — no other agency, contractor or the public."
                : $"Results may be passed on outside the project to: {List(u.RedisclosureTo)}.",
        };
        if (!string.IsNullOrWhiteSpace(u.Conditions)) lines.Add($"Conditions: {u.Conditions}");
        return lines;
    }

    static List<string> Access(AccessClause a) =>
    [
        a.Level switch
        {
            AccessLevel.MetadataOnly => "Level of access: schema and metadata only — no statistics may be computed from the data.",
            AccessLevel.Synthetic => "Level of access: released statistics, and synthetic versions of the data may be derived.",
            _ => "Level of access: released statistics only (aggregates that pass disclosure control).",
        },
        $"The schema and metadata (column names, types, categories) may be seen by: {List(a.Metadata)}.",
        a.FullDataset.Count == 0
            ? "The full dataset is seen by nobody: the compute parties hold secret shares only, never rows."
            : $"The full dataset may be seen by: {List(a.FullDataset)}.",
        a.Synthetic.Count == 0
            ? "Synthetic versions of the data: none may be made or shared."
            : $"Synthetic versions count as the data itself and may be shared with: {List(a.Synthetic)}.",
    ];

    static List<string> Controls(ControlsClause c)
    {
        var lines = new List<string>
        {
            $"Who may run analyses: {List(c.Analysts)}.",
            $"Where the data is stored: {c.StorageLocation ?? "not stated"}.",
            Invariant($"Every released table cell counts at least {c.MinCellSize} people; smaller cells are suppressed and never shown."),
            c.RoundingBase > 1 ? Invariant($"Released counts are rounded to a multiple of {c.RoundingBase}.") : "Released counts are not rounded.",
            c.DominanceP is { } p
                ? Invariant($"p% rule at {p.ToString(CultureInfo.InvariantCulture)}%: a total is suppressed when the largest contributor could be estimated within {p.ToString(CultureInfo.InvariantCulture)}%") + (c.DominanceColumns is { } dc ? $" (columns: {List(dc)})." : ".")
                : "No p% (dominance) rule.",
            c.EpsilonBudget is { } e ? Invariant($"Differential privacy: a total budget of ε = {e.ToString(CultureInfo.InvariantCulture)} across all releases.") : "No differential-privacy budget is required.",
            $"Allowed operations: {List(c.Operations, "none")}.",
            c.Columns.Count == 0 ? "Every column of the schema may be analysed." : $"Columns that may be analysed: {List(c.Columns)}.",
            $"Columns that may be used to link records: {List(c.LinkageColumns, "none")}.",
            c.RevealGroupSizes ? "Compute parties may learn group sizes (faster grouping)." : "Compute parties may not learn group sizes.",
            c.Expires is { } d ? Invariant($"The terms expire on {d:yyyy-MM-dd}: analyses stop then and the shares are destroyed.") : "The terms do not expire.",
        };
        if (c.Review is { } review)
            lines.Add((review.Operations is null ? "Every release" : $"Every release of these operations ({List(review.Operations)})")
                + $" is reviewed by the data steward before the analyst may see it; a rejected release is never delivered (steward's key {Review.SealedBox.Fingerprint(review.ReviewerKey!)}).");
        return lines;
    }

    static string List(IReadOnlyList<string> xs, string none = "nobody") => xs.Count == 0 ? none : string.Join("; ", xs);

    static string Cap(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}

/// <summary>One heading of a <see cref="TermsBrief"/> and its sentences.</summary>
public sealed record BriefSection(string Heading, IReadOnlyList<string> Lines);
