using Microsoft.EntityFrameworkCore;
using Smpc.Governance;

namespace Smpc.Registry.Data;

/// <summary>Loads and saves whole studies (the aggregate the governance rules work on) and the people and
/// organisations around them. One per request (it shares the request's <see cref="RegistryDb"/>).</summary>
public sealed class StudyRepository(RegistryDb db)
{
    public RegistryDb Db => db;

    IQueryable<Study> Whole() => db.Studies
        .Include(s => s.Members).ThenInclude(m => m.Person).ThenInclude(p => p.Organisation).ThenInclude(o => o.PointOfContact)
        .Include(s => s.Datasets).ThenInclude(d => d.Organisation).ThenInclude(o => o.PointOfContact)
        .Include(s => s.Datasets).ThenInclude(d => d.TermsVersions)
        .Include(s => s.Datasets).ThenInclude(d => d.Approvals)
        .Include(s => s.Datasets).ThenInclude(d => d.Uploads)
        .Include(s => s.Commitments)
        .Include(s => s.Attestations)
        .Include(s => s.Events)
        .AsSplitQuery();

    public Task<Study?> FindAsync(Guid id, CancellationToken ct = default) => Whole().FirstOrDefaultAsync(s => s.Id == id, ct);

    /// <summary>Studies the person is a member of, or whose organisations include one the person is point of contact of.</summary>
    public async Task<List<Study>> ForPersonAsync(Person person, CancellationToken ct = default)
    {
        Guid pid = person.Id, org = person.OrganisationId;
        bool isContact = await db.Organisations.AnyAsync(o => o.Id == org && o.PointOfContactId == pid, ct);
        var ids = await db.Studies
            .Where(s => s.Members.Any(m => m.PersonId == pid)
                || (isContact && (s.Datasets.Any(d => d.OrganisationId == org) || s.Members.Any(m => m.Role != StudyRole.Auditor && m.Person.OrganisationId == org))))
            .Select(s => s.Id).ToListAsync(ct);
        var studies = await Whole().Where(s => ids.Contains(s.Id)).ToListAsync(ct);
        return studies.OrderBy(s => s.Title, StringComparer.Ordinal).ToList();
    }

    public Task<Person?> PersonAsync(Guid id, CancellationToken ct = default) =>
        db.People.Include(p => p.Organisation).ThenInclude(o => o.PointOfContact).FirstOrDefaultAsync(p => p.Id == id, ct);

    public Task<Organisation?> OrganisationAsync(Guid id, CancellationToken ct = default) =>
        db.Organisations.Include(o => o.PointOfContact).FirstOrDefaultAsync(o => o.Id == id, ct);

    public void Add(Study study) => db.Studies.Add(study);

    public Task SaveAsync(CancellationToken ct = default) => db.SaveChangesAsync(ct);
}
