namespace Smpc.Governance;

/// <summary>A secure study: its members and their roles, the datasets contributed with their terms, and where it is in
/// its lifecycle. The rules live in <see cref="StudyLifecycle"/> and <see cref="StudyPermissions"/>; this class only
/// holds the state (so a database can store it and tests can build it in memory).</summary>
public sealed class Study
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public required string Title { get; set; }

    public string Purpose { get; set; } = "";

    public StudyStage Stage { get; set; } = StudyStage.Draft;

    public DateTime CreatedAt { get; set; }

    public DateTime StageEnteredAt { get; set; }

    /// <summary>Incremented by every change (<see cref="StudyLifecycle"/> logs each one), so a store can refuse a save
    /// made from a stale copy: two people acting on the same study at once cannot both win on old criteria.</summary>
    public int Revision { get; set; }

    /// <summary>The plan as JSON (<see cref="StudyPlan.ToJson"/>), null until the coordinator sets it.</summary>
    public string? PlanJson { get; set; }

    /// <summary>What the study means to do with the data (release audience, operations, planned end); null until set.</summary>
    public StudyPlan? Plan => StudyPlan.FromJson(PlanJson);

    public List<StudyMember> Members { get; set; } = [];

    public List<Dataset> Datasets { get; set; } = [];

    public List<Commitment> Commitments { get; set; } = [];

    public List<DestructionAttestation> Attestations { get; set; } = [];

    public List<StudyEvent> Events { get; set; } = [];

    /// <summary>Roles the person holds in this study.</summary>
    public IEnumerable<StudyRole> RolesOf(Guid personId) => Members.Where(m => m.PersonId == personId).Select(m => m.Role).Distinct();

    public bool Has(Guid personId, StudyRole role) => Members.Any(m => m.PersonId == personId && m.Role == role);

    /// <summary>Organisations taking part: those contributing a dataset and those of members other than auditors
    /// (an oversight body does not commit deliverables). Each must record its commitment.</summary>
    public IReadOnlyList<Organisation> ParticipatingOrganisations() =>
        Datasets.Select(d => d.Organisation)
            .Concat(Members.Where(m => m.Role != StudyRole.Auditor).Select(m => m.Person.Organisation))
            .DistinctBy(o => o.Id).OrderBy(o => o.Name, StringComparer.Ordinal).ToList();

    /// <summary>Organisations running a compute party (those of the compute operators).</summary>
    public IReadOnlyList<Organisation> ComputeOrganisations() =>
        Members.Where(m => m.Role == StudyRole.ComputeOperator).Select(m => m.Person.Organisation)
            .DistinctBy(o => o.Id).OrderBy(o => o.Name, StringComparer.Ordinal).ToList();

    /// <summary>The earliest expiry among the datasets' current terms (analysis ends then), with its dataset.</summary>
    public (DateOnly Date, Dataset Dataset)? EarliestExpiry() =>
        Datasets.Select(d => (Dataset: d, Expires: d.CurrentTerms?.Terms.Expires))
            .Where(x => x.Expires is not null)
            .OrderBy(x => x.Expires).Select(x => ((DateOnly Date, Dataset Dataset)?)(x.Expires!.Value, x.Dataset))
            .FirstOrDefault();

    public override string ToString() => Title;
}
