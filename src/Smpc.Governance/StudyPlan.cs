using System.Text.Json;
using Smpc.Governance.DataUse;
using static System.FormattableString;

namespace Smpc.Governance;

/// <summary>
/// What a study means to do with the data, set by its coordinator at draft time so that it can be checked against
/// every dataset's terms before anyone is asked to approve (<see cref="TermsConflicts"/>): who will receive the
/// released results, which operations it will run, whether it will make synthetic versions, and when it plans to end.
/// The partners are not stated here: they are the organisations taking part in the study.
/// </summary>
public sealed record StudyPlan
{
    /// <summary>Who receives released results: "study team", organisations (slug or name), or outside audiences
    /// (e.g. "public", "other agencies").</summary>
    public IReadOnlyList<string> ReleaseAudience { get; init; } = [];

    /// <summary>Operations the study will run (names of <see cref="DataUseTerms.KnownOperations"/>).</summary>
    public IReadOnlyList<string> Operations { get; init; } = [];

    /// <summary>Whether the study will derive synthetic versions of the data.</summary>
    public bool SyntheticVersions { get; init; }

    /// <summary>Last planned day of analysis; null: not planned.</summary>
    public DateOnly? PlannedEnd { get; init; }

    public static readonly JsonSerializerOptions Json = DataUseTerms.Json;

    /// <summary>The audience that is always internal: the people of the study.</summary>
    public const string StudyTeam = "study team";

    /// <summary>Throws <see cref="TransitionRefusedException"/> naming each bad field; returns the plan with names trimmed.</summary>
    public StudyPlan Validate()
    {
        var problems = new List<string>();
        if (ReleaseAudience is null) problems.Add("`releaseAudience` is missing; allowed: a list of audiences (e.g. \"study team\", \"public\")");
        else for (int i = 0; i < ReleaseAudience.Count; i++)
                if (string.IsNullOrWhiteSpace(ReleaseAudience[i])) problems.Add(Invariant($"`releaseAudience[{i}]` is empty"));
        if (Operations is null) problems.Add("`operations` is missing; allowed: a list of operation names");
        else foreach (var op in Operations.Where(o => !DataUseTerms.KnownOperations.Contains(o?.Trim() ?? "", StringComparer.OrdinalIgnoreCase)))
                problems.Add($"`operations` lists unknown operation '{op}'; allowed: {string.Join(", ", DataUseTerms.KnownOperations)}");
        if (problems.Count > 0) throw new TransitionRefusedException($"The study plan is invalid: {string.Join("; ", problems)}.", problems);
        return this with
        {
            ReleaseAudience = ReleaseAudience!.Select(a => a.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            Operations = Operations!.Select(o => o.Trim().ToLowerInvariant()).Distinct().ToList(),
        };
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static StudyPlan? FromJson(string? json) => string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<StudyPlan>(json, Json);

    /// <summary>The plan in one sentence, for the study's history.</summary>
    public override string ToString()
    {
        string audience = ReleaseAudience.Count == 0 ? "nobody" : string.Join(", ", ReleaseAudience);
        string operations = Operations.Count == 0 ? "none" : string.Join(", ", Operations);
        string end = PlannedEnd is { } d ? Invariant($"{d:yyyy-MM-dd}") : "not set";
        return $"release to {audience}; operations {operations}; synthetic versions {(SyntheticVersions ? "yes" : "no")}; planned end {end}";
    }
}
