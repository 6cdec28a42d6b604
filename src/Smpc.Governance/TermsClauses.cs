using Smpc.Governance.DataUse;

namespace Smpc.Governance;

/// <summary>
/// A terms document read as the three distinctions the field report found critical, each stated separately and with
/// every default made explicit: (a) <see cref="Use"/> — internal project use vs redisclosure, and to whom; (b)
/// <see cref="Access"/> — schema and metadata vs the full dataset, synthetic versions included; (c)
/// <see cref="Controls"/> — who has access, where data is stored, under what controls, until when. The brief, the ODRL
/// export and the conflict check all read terms through this, so a format-1 document means the same to each of them.
/// </summary>
public sealed record TermsClauses(int FormatVersion, string Dataset, string Steward, string Purpose, UseClause Use, AccessClause Access,
    ControlsClause Controls, IReadOnlyList<string> Defaulted)
{
    /// <summary>Reads terms of any format. <see cref="Defaulted"/> lists the fields (by their JSON path) that the document
    /// does not state and that took their documented default.</summary>
    public static TermsClauses Of(DataUseTerms t)
    {
        var defaulted = new List<string>();
        T Or<T>(T? value, T fallback, string field) where T : class
        {
            if (value is not null) return value;
            defaulted.Add(field);
            return fallback;
        }
        var use = new UseClause(t.Redisclosure.InternalUseOnly,
            Or(t.Redisclosure.ProjectRecipients, [], "redisclosure.projectRecipients"),
            t.Redisclosure.ProjectRecipients is null,
            t.Redisclosure.InternalUseOnly ? [] : t.Redisclosure.RedisclosureTo, t.Redisclosure.Conditions);
        var scope = t.Scope ?? new AccessScope();
        var access = new AccessClause(t.Access,
            Or(scope.Metadata, AccessScope.DefaultMetadata, "scope.metadata"),
            Or(scope.FullDataset, [], "scope.fullDataset"),
            Or(scope.Synthetic, t.Access == AccessLevel.Synthetic ? ["study team"] : [], "scope.synthetic"));
        var controls = new ControlsClause(t.AllowedAnalysts, t.StorageLocation, t.MinCellSize, t.RoundingBase, t.DominanceP, t.DominanceColumns,
            t.EpsilonBudget, t.AllowedOperations, t.AllowedColumns, t.LinkageColumns, t.AllowRevealGroupSizes, t.Expires, t.OutputReview);
        return new TermsClauses(t.FormatVersion ?? 1, t.Dataset, t.Steward, t.Purpose, use, access, controls, defaulted);
    }

    /// <summary>The documented defaults of format-1 documents, by field, in words (the brief prints the ones used).</summary>
    public static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>
    {
        ["redisclosure.projectRecipients"] = "every organisation taking part in the study may receive results for internal project use",
        ["scope.metadata"] = "the study team and the compute parties may see the schema and metadata",
        ["scope.fullDataset"] = "nobody receives the full dataset; the compute parties hold secret shares only",
        ["scope.synthetic"] = "the study team may receive synthetic versions when access is 'synthetic', otherwise nobody",
    };
}

/// <summary>(a) Use: internal project use only, or redisclosure of released results and to whom.</summary>
/// <param name="ProjectRecipients">Organisations inside the project that may receive results; empty with
/// <paramref name="AnyProjectPartner"/>: every organisation of the study.</param>
/// <param name="RedisclosureTo">Audiences outside the project; always empty when <paramref name="InternalUseOnly"/>.</param>
public sealed record UseClause(bool InternalUseOnly, IReadOnlyList<string> ProjectRecipients, bool AnyProjectPartner,
    IReadOnlyList<string> RedisclosureTo, string? Conditions);

/// <summary>(b) Access: the analysis level, and who may see the schema and metadata, the full dataset, synthetic versions.</summary>
public sealed record AccessClause(AccessLevel Level, IReadOnlyList<string> Metadata, IReadOnlyList<string> FullDataset, IReadOnlyList<string> Synthetic);

/// <summary>(c) Controls: who may analyse, where shares are stored, the disclosure rules, operations, columns, ε, expiry,
/// and the steward's review of releases (format 2; null: none).</summary>
public sealed record ControlsClause(IReadOnlyList<string> Analysts, string? StorageLocation, int MinCellSize, int RoundingBase, double? DominanceP,
    IReadOnlyList<string>? DominanceColumns, double? EpsilonBudget, IReadOnlyList<string> Operations, IReadOnlyList<string> Columns,
    IReadOnlyList<string> LinkageColumns, bool RevealGroupSizes, DateOnly? Expires, OutputReview? Review = null);
