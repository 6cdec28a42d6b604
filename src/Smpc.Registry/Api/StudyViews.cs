using Smpc.Governance;

namespace Smpc.Registry.Api;

/// <summary>Turns studies into their API shapes (the pages use the same).</summary>
public static class StudyViews
{
    public static StudySummary Summary(Study s, Guid personId) => new(s.Id, s.Title, s.Stage, s.StageEnteredAt, s.RolesOf(personId).Order().ToList());

    public static StudyResponse Detail(Study s, DateOnly today)
    {
        var next = StudyLifecycle.Next(s.Stage);
        return new StudyResponse(
            s.Id, s.Title, s.Purpose, s.Stage, s.StageEnteredAt, next,
            next is { } n ? StudyLifecycle.UnmetCriteria(s, n, today) : [],
            s.EarliestExpiry()?.Date,
            s.Members.OrderBy(m => m.Role).ThenBy(m => m.Person.Name, StringComparer.Ordinal)
                .Select(m => new MemberResponse(m.PersonId, m.Person.Name, m.Person.Organisation.Name, m.Role)).ToList(),
            s.Datasets.OrderBy(d => d.Name, StringComparer.Ordinal).Select(d => new DatasetResponse(
                d.Id, d.Name, d.OrganisationId, d.Organisation.Name,
                d.CurrentTerms is { } t ? new TermsVersionResponse(t.Version, t.Hash, t.DocumentedAt) : null,
                d.CurrentApproval is not null,
                d.CurrentTerms is { } ct && d.Uploads.Any(u => u.TermsHash == ct.Hash))).ToList(),
            s.Commitments.Select(c => new CommitmentResponse(c.OrganisationId,
                s.ParticipatingOrganisations().FirstOrDefault(o => o.Id == c.OrganisationId)?.Name ?? "", c.Role, c.Deliverables, c.DueBy, c.RecordedAt)).ToList(),
            s.Events.OrderBy(e => e.At).Select(e => new EventResponse(e.At, e.Kind, e.Text)).ToList());
    }

    public static IReadOnlyList<TermsHistoryEntry> TermsHistory(Dataset d)
    {
        var versions = d.TermsVersions.OrderBy(v => v.Version).ToList();
        return versions.Select((v, i) => new TermsHistoryEntry(v.Version, v.Hash, v.DocumentedAt, v.CanonicalJson,
            i == 0 ? [] : TermsDiff.Between(versions[i - 1].CanonicalJson, v.CanonicalJson).Select(c => c.ToString()).ToList())).ToList();
    }
}
