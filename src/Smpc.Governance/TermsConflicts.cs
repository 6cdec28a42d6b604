using static System.FormattableString;

namespace Smpc.Governance;

/// <summary>
/// The conflict check run at draft time: a study whose release audience, partners, operations, synthetic versions or
/// planned end go beyond a dataset's current terms is flagged with the clause, before anyone is asked to approve (the
/// field report's case: a bank's "internal use only" against a multi-agency release). While a conflict stands, the
/// study cannot leave draft and the dataset's steward cannot approve; the coordinator changes the plan or the partners,
/// or the steward documents terms that allow them.
/// <para>Matching is by words, case-insensitive: an audience matches a redisclosure entry equal to it or to the entry's
/// text before its first comma ("public" matches "public, after disclosure review"); an organisation matches a project
/// recipient by slug or name. "study team" is always internal. The dataset's own organisation is always a recipient.</para>
/// </summary>
public static class TermsConflicts
{
    /// <summary>Every conflict between the study (its plan and partners) and its datasets' current terms, by dataset.</summary>
    public static IReadOnlyList<TermsConflict> Of(Study study) =>
        study.Datasets.OrderBy(d => d.Name, StringComparer.Ordinal).SelectMany(d => Of(study, d)).ToList();

    public static IReadOnlyList<TermsConflict> Of(Study study, Dataset dataset)
    {
        if (dataset.CurrentTerms is not { } version) return [];
        var terms = TermsClauses.Of(version.Terms);
        var plan = study.Plan;
        var found = new List<TermsConflict>();
        void Add(string kind, string clause, string text) => found.Add(new TermsConflict(dataset.Id, dataset.Name, version.Version, kind, clause, text));

        var partners = study.ParticipatingOrganisations();
        bool IsRecipient(Organisation o) => o.Id == dataset.OrganisationId || terms.Use.AnyProjectPartner
            || terms.Use.ProjectRecipients.Any(r => Same(r, o.Slug) || Same(r, o.Name));
        foreach (var o in partners.Where(o => !IsRecipient(o)))
            Add("partner", "redisclosure.projectRecipients",
                $"'{o.Name}' takes part in the study but is not among the allowed recipients ({string.Join(", ", terms.Use.ProjectRecipients)})");
        if (plan is null) return found;

        foreach (var audience in plan.ReleaseAudience)
        {
            if (Same(audience, StudyPlan.StudyTeam)) continue;
            var org = partners.FirstOrDefault(o => Same(audience, o.Slug) || Same(audience, o.Name));
            if (org is not null && IsRecipient(org)) continue;
            if (terms.Use.InternalUseOnly)
                Add("audience", "redisclosure.internalUseOnly",
                    $"the study plans to release results to '{audience}', but the terms allow internal project use only");
            else if (!terms.Use.RedisclosureTo.Any(r => Same(r, audience) || Same(r.Split(',')[0], audience)))
                Add("audience", "redisclosure.redisclosureTo",
                    $"the study plans to release results to '{audience}', which is not among those the terms allow redisclosure to ({Join(terms.Use.RedisclosureTo)})");
        }
        if (terms.Access.Level == DataUse.AccessLevel.MetadataOnly && plan.Operations.Count > 0)
            Add("access", "access", "the terms allow the schema and metadata only, but the study plans to compute statistics");
        else
            foreach (var op in plan.Operations.Where(op => !terms.Controls.Operations.Contains(op, StringComparer.OrdinalIgnoreCase)))
                Add("operation", "allowedOperations",
                    $"the study plans the operation '{op}', which the terms do not allow (allowed: {Join(terms.Controls.Operations)})");
        if (plan.SyntheticVersions && terms.Access.Synthetic.Count == 0)
            Add("synthetic", "scope.synthetic", "the study plans synthetic versions of the data, which the terms allow to nobody");
        if (plan.PlannedEnd is { } end && terms.Controls.Expires is { } expires && end > expires)
            Add("expiry", "expires", Invariant($"the study plans to run until {end:yyyy-MM-dd}, after the terms expire on {expires:yyyy-MM-dd}"));
        return found;
    }

    static bool Same(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    static string Join(IReadOnlyList<string> xs) => xs.Count == 0 ? "none" : string.Join(", ", xs);
}
