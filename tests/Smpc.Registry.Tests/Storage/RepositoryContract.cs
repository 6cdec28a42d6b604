using Microsoft.EntityFrameworkCore;
using Smpc.Governance;
using Smpc.Registry.Data;
using Smpc.Registry.Tests.Governance;
using static Smpc.Registry.Tests.Governance.World;

namespace Smpc.Registry.Tests.Storage;

/// <summary>
/// The same storage tests on every database the registry supports (<see cref="SqliteRepositoryTests"/>,
/// <see cref="PostgresRepositoryTests"/>): migrations match the model, and a study keeps its lifecycle, terms hashes,
/// approvals (voided ones too), commitments and history across contexts.
/// </summary>
public abstract class RepositoryContract
{
    /// <summary>A new, empty database of the provider under test, migrated.</summary>
    protected abstract Task<RegistryDatabase> NewDatabaseAsync();

    async Task<RegistryDatabase> MigratedAsync()
    {
        var database = await NewDatabaseAsync();
        await using var db = database.CreateContext();
        await db.Database.MigrateAsync();
        return database;
    }

    [Fact]
    public async Task Migrations_apply_and_match_the_model()
    {
        var database = await MigratedAsync();
        await using var db = database.CreateContext();
        Assert.False(db.Database.HasPendingModelChanges(), "the model has changed since the last migration: add one (see src/Smpc.Registry/README.md)");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.True(await db.Database.CanConnectAsync());
    }

    [Fact]
    public async Task A_study_keeps_its_lifecycle_terms_approvals_and_history_across_contexts()
    {
        var database = await MigratedAsync();
        var w = new World();
        await using (var db = database.CreateContext())
        {
            var contacts = new[] { w.Research, w.Va, w.Bank }.ToDictionary(o => o, o => o.PointOfContact);
            foreach (var o in contacts.Keys) { o.PointOfContact = null; o.PointOfContactId = null; }
            db.Organisations.AddRange(contacts.Keys);
            await db.SaveChangesAsync();
            foreach (var (o, poc) in contacts) o.PointOfContactId = poc!.Id;
            db.Studies.Add(w.Study);
            await db.SaveChangesAsync();
        }
        await using (var db = database.CreateContext())
        {
            var repo = new StudyRepository(db);
            var s = (await repo.FindAsync(w.Study.Id))!;
            Assert.Equal(StudyStage.Draft, s.Stage);
            var veterans = s.Datasets.Single(d => d.Name == "veterans");
            var bank = s.Datasets.Single(d => d.Name == "bank");
            StudyLifecycle.DocumentTerms(s, A(w.VaSteward), veterans, Terms("veterans"), w.Day(1));
            StudyLifecycle.DocumentTerms(s, A(w.BankSteward), bank, Terms("bank"), w.Day(1));
            StudyLifecycle.Advance(s, A(w.Coordinator), w.Day(2));
            foreach (var (orgId, poc) in new[] { (w.Research.Id, w.Coordinator), (w.Va.Id, w.VaContact), (w.Bank.Id, w.BankContact) })
                StudyLifecycle.RecordCommitment(s, A(poc), (await repo.OrganisationAsync(orgId))!, "partner", "its part", new DateOnly(2026, 6, 30), w.Day(2));
            StudyLifecycle.Advance(s, A(w.Coordinator), w.Day(3));
            StudyLifecycle.ApproveTerms(s, A(w.VaSteward), veterans, veterans.CurrentTerms!.Hash, w.Day(3));
            StudyLifecycle.ApproveTerms(s, A(w.BankSteward), bank, bank.CurrentTerms!.Hash, w.Day(3));
            StudyLifecycle.Advance(s, A(w.Coordinator), w.Day(4));
            await repo.SaveAsync();
        }
        string v1Hash;
        await using (var db = database.CreateContext())
        {
            var repo = new StudyRepository(db);
            var s = (await repo.FindAsync(w.Study.Id))!;
            Assert.Equal(StudyStage.Approved, s.Stage);
            Assert.Equal(w.Day(4), s.StageEnteredAt);
            Assert.Equal(DateTimeKind.Utc, s.StageEnteredAt.Kind);
            var bank = s.Datasets.Single(d => d.Name == "bank");
            var terms = bank.CurrentTerms!;
            v1Hash = terms.Hash;
            Assert.Equal(TermsDocument.Hash(terms.CanonicalJson), terms.Hash);
            Assert.Equal(TermsDocument.Canonical(Terms("bank")), terms.CanonicalJson);
            Assert.NotNull(bank.CurrentApproval);
            Assert.Equal(new DateOnly(2026, 6, 30), s.Commitments.Single(c => c.OrganisationId == w.Va.Id).DueBy);
            // Replacing a commitment deletes the old row and inserts the new one in one save (unique per study and organisation).
            StudyLifecycle.RecordCommitment(s, A(w.VaContact), (await repo.OrganisationAsync(w.Va.Id))!, "contributor", "veterans' file, revised", null, w.Day(5));
            StudyLifecycle.DocumentTerms(s, A(w.BankSteward), bank, Terms("bank") with { MinCellSize = 11 }, w.Day(6));
            Assert.Null(s.Plan);
            StudyLifecycle.SetPlan(s, A(w.Coordinator), new StudyPlan { ReleaseAudience = ["study team"], Operations = ["count", "mean"], PlannedEnd = new DateOnly(2027, 6, 30) }, w.Day(6));
            await repo.SaveAsync();
        }
        await using (var db = database.CreateContext())
        {
            var repo = new StudyRepository(db);
            var s = (await repo.FindAsync(w.Study.Id))!;
            Assert.Equal(StudyStage.Commitments, s.Stage);
            var bank = s.Datasets.Single(d => d.Name == "bank");
            Assert.Equal(2, bank.CurrentTerms!.Version);
            var voided = Assert.Single(bank.Approvals);
            Assert.Equal(v1Hash, voided.TermsHash);
            Assert.Equal(w.Day(6), voided.VoidedAt);
            Assert.Null(bank.CurrentApproval);
            Assert.Equal("veterans' file, revised", s.Commitments.Single(c => c.OrganisationId == w.Va.Id).Deliverables);
            Assert.Contains(s.Events, e => e.Text.Contains("minCellSize: 20 -> 11"));
            // The study plan (one JSON column) round-trips.
            Assert.Equal(["study team"], s.Plan!.ReleaseAudience);
            Assert.Equal(["count", "mean"], s.Plan.Operations);
            Assert.Equal(new DateOnly(2027, 6, 30), s.Plan.PlannedEnd);
            Assert.Equal([$"steward of 'bank' has not approved terms {bank.CurrentTerms.Label}"],
                StudyLifecycle.UnmetCriteria(s, StudyStage.Approved, DateOnly.FromDateTime(w.Day(7))));

            var bankContact = (await repo.PersonAsync(w.BankContact.Id))!;
            Assert.Equal([w.Study.Id], (await repo.ForPersonAsync(bankContact)).Select(x => x.Id));
            Assert.Empty(await repo.ForPersonAsync((await repo.PersonAsync(w.Outsider.Id))!));
            var actions = MyActions.For((await repo.PersonAsync(w.BankSteward.Id))!, await repo.ForPersonAsync((await repo.PersonAsync(w.BankSteward.Id))!), w.Day(8));
            Assert.Equal(["approve-terms"], actions.Select(a => a.Kind));
        }
    }

    [Fact]
    public async Task Two_people_acting_on_the_same_study_at_once_cannot_both_save_from_the_same_copy()
    {
        var database = await MigratedAsync();
        var w = new World();
        await using (var db = database.CreateContext())
        {
            foreach (var o in new[] { w.Research, w.Va, w.Bank }) { o.PointOfContact = null; o.PointOfContactId = null; }
            db.Organisations.AddRange(w.Research, w.Va, w.Bank);
            db.Studies.Add(w.Study);
            await db.SaveChangesAsync();
        }
        await using var first = database.CreateContext();
        await using var second = database.CreateContext();
        var a = (await new StudyRepository(first).FindAsync(w.Study.Id))!;
        var b = (await new StudyRepository(second).FindAsync(w.Study.Id))!;
        StudyLifecycle.DocumentTerms(a, A(w.VaSteward), a.Datasets.Single(d => d.Name == "veterans"), Terms("veterans"), w.Day(1));
        StudyLifecycle.DocumentTerms(b, A(w.BankSteward), b.Datasets.Single(d => d.Name == "bank"), Terms("bank"), w.Day(1));
        await first.SaveChangesAsync();
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        await using var third = database.CreateContext();
        var saved = (await new StudyRepository(third).FindAsync(w.Study.Id))!;
        Assert.Equal(a.Revision, saved.Revision);
        Assert.Null(saved.Datasets.Single(d => d.Name == "bank").CurrentTerms);
    }

    [Fact]
    public async Task The_database_refuses_a_second_organisation_with_the_same_slug()
    {
        var database = await MigratedAsync();
        await using var db = database.CreateContext();
        db.Organisations.Add(new Organisation { Slug = "bank", Name = "Retail bank" });
        await db.SaveChangesAsync();
        db.Organisations.Add(new Organisation { Slug = "bank", Name = "Another bank" });
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }
}
