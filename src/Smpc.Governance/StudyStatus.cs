namespace Smpc.Governance;

/// <summary>
/// "My studies": each study a person is in, with the person's roles and, for every organisation taking part, where
/// it stands — commitment recorded (and by when it committed to deliver), its datasets' terms version, approval and
/// upload, its attestation — and what it still owes for the study's next stage.
/// </summary>
public static class StudyStatus
{
    public static StudyOverview Of(Study study, Guid personId, DateOnly today)
    {
        var next = StudyLifecycle.Next(study.Stage);
        var unmet = next is { } n ? StudyLifecycle.UnmetCriteria(study, n, today) : [];
        var orgs = study.ParticipatingOrganisations().Select(o =>
        {
            var commitment = study.Commitments.FirstOrDefault(c => c.OrganisationId == o.Id);
            var datasets = study.Datasets.Where(d => d.OrganisationId == o.Id).OrderBy(d => d.Name, StringComparer.Ordinal)
                .Select(d => new DatasetStatus(d.Name, d.CurrentTerms?.Version, d.CurrentApproval is not null,
                    d.CurrentTerms is { } t && d.Uploads.Any(u => u.TermsHash == t.Hash))).ToList();
            // What this organisation owes: the unmet criteria that name it or one of its datasets.
            var owes = unmet.Where(u => u.Contains($"'{o.Name}'") || datasets.Any(d => u.Contains($"'{d.Name}'"))).ToList();
            return new OrganisationStatus(o.Id, o.Name, commitment is not null, commitment?.DueBy, datasets,
                study.Attestations.Any(a => a.OrganisationId == o.Id), owes);
        }).ToList();
        return new StudyOverview(study.Id, study.Title, study.Stage, study.StageEnteredAt, next, study.RolesOf(personId).Order().ToList(), orgs,
            TermsConflicts.Of(study).Count);
    }
}

public sealed record StudyOverview(Guid StudyId, string Title, StudyStage Stage, DateTime StageEnteredAt, StudyStage? NextStage,
    IReadOnlyList<StudyRole> MyRoles, IReadOnlyList<OrganisationStatus> Organisations, int Conflicts);

public sealed record OrganisationStatus(Guid OrganisationId, string Name, bool Committed, DateOnly? CommittedDueBy,
    IReadOnlyList<DatasetStatus> Datasets, bool AttestedDestruction, IReadOnlyList<string> Owes);

public sealed record DatasetStatus(string Name, int? TermsVersion, bool Approved, bool Uploaded);
