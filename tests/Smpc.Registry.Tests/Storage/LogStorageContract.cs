using Microsoft.EntityFrameworkCore;
using Smpc.Governance;
using Smpc.Governance.Transparency;
using Smpc.Registry.Data;
using Smpc.Registry.Tests.Governance;
using Smpc.Registry.Tests.Infrastructure;
using Smpc.Registry.Transparency;
using static Smpc.Registry.Tests.Governance.World;

namespace Smpc.Registry.Tests.Storage;

/// <summary>The transparency log in the registry's database, on every provider: each study event appended with a
/// signed head in the same transaction, rows the database refuses to update or delete, and an edit made behind the
/// database's back found by the verifier and by the registry at start.</summary>
public abstract class LogStorageContract
{
    protected abstract Task<RegistryDatabase> NewDatabaseAsync();

    /// <summary>SQL that lets the table's owner edit log rows (what an operator with full rights could do).</summary>
    protected abstract string[] BypassTriggers { get; }

    async Task<(RegistryDatabase Database, RegistryLog Log, World World)> StudyThroughApprovalAsync()
    {
        var database = await NewDatabaseAsync();
        var log = new RegistryLog(LogKey.Generate("registry"));
        await using (var db = database.CreateContext())
        {
            await db.Database.MigrateAsync();
            await log.LoadAsync(db);
        }
        var w = new World();
        await using (var db = database.CreateContext(log))
        {
            var contacts = new[] { w.Research, w.Va, w.Bank }.ToDictionary(o => o, o => o.PointOfContact);
            foreach (var o in contacts.Keys) { o.PointOfContact = null; o.PointOfContactId = null; }
            db.Organisations.AddRange(contacts.Keys);
            await db.SaveChangesAsync();
            foreach (var (o, poc) in contacts) o.PointOfContactId = poc!.Id;
            db.Studies.Add(w.Study);
            await db.SaveChangesAsync();
        }
        await using (var db = database.CreateContext(log))
        {
            var repo = new StudyRepository(db);
            var s = (await repo.FindAsync(w.Study.Id))!;
            StudyLifecycle.DocumentTerms(s, A(w.VaSteward), s.Datasets.Single(d => d.Name == "veterans"), Terms("veterans"), w.Day(1));
            StudyLifecycle.DocumentTerms(s, A(w.BankSteward), s.Datasets.Single(d => d.Name == "bank"), Terms("bank"), w.Day(1));
            db.Record(new LogRecord(LogEntryKind.SignIn, w.Day(1), "bank steward signed in", Actor: w.BankSteward.Id.ToString()));
            await repo.SaveAsync();
        }
        return (database, log, w);
    }

    [Fact]
    public async Task Every_study_event_is_logged_with_a_signed_head_and_the_export_verifies()
    {
        var (database, log, w) = await StudyThroughApprovalAsync();
        await using var db = database.CreateContext();
        var events = await db.StudyEvents.CountAsync();
        var export = await RegistryLogExport.ReadAsync(db);
        Assert.Equal(events + 1, export.Entries.Count);                  // every event, and the sign-in
        Assert.Equal(export.Entries.Count, export.Heads.Count);
        Assert.Contains(export.Entries, e => e.Kind == LogEntryKind.TermsVersion && e.Summary.Contains("'bank'"));
        Assert.Contains(export.Entries, e => e.Kind == LogEntryKind.SignIn);
        Assert.Contains(export.Entries, e => e.Kind == LogEntryKind.Transition && e.Study == w.Study.Id.ToString());
        var result = LogVerifier.Verify(export, new LogVerifyOptions { TrustedLog = log.Key.Public });
        Assert.True(result.Sound, result.Summary);

        // A save that fails writes no entry, and the next one continues the log without a gap.
        await using (var bad = database.CreateContext(log))
        {
            bad.Record(new LogRecord(LogEntryKind.Account, w.Day(2), "never saved"));
            bad.People.Add(new Person { Email = w.BankSteward.Email, Name = "duplicate", OrganisationId = w.Bank.Id });
            await Assert.ThrowsAnyAsync<DbUpdateException>(() => bad.SaveChangesAsync());
        }
        await using (var good = database.CreateContext(log))
        {
            good.Record(new LogRecord(LogEntryKind.Account, w.Day(2), "account deactivated"));
            await good.SaveChangesAsync();
        }
        await using var after = database.CreateContext();
        var again = await RegistryLogExport.ReadAsync(after);
        Assert.DoesNotContain(again.Entries, e => e.Summary == "never saved");
        Assert.Equal("account deactivated", again.Entries[^1].Summary);
        Assert.True(LogVerifier.Verify(again).Sound);
    }

    [Fact]
    public async Task The_database_refuses_updates_and_deletes_of_the_log()
    {
        var (database, _, _) = await StudyThroughApprovalAsync();
        await using var db = database.CreateContext();
        foreach (var sql in new[]
                 {
                     "UPDATE transparency_entries SET \"Canonical\" = 'x' WHERE \"Position\" = 1",
                     "DELETE FROM transparency_entries WHERE \"Position\" = 2",
                     "UPDATE transparency_heads SET \"Json\" = 'x'",
                     "DELETE FROM transparency_keys",
                 })
        {
            var e = await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync(sql));
            Assert.Contains("append-only", e.Message);
        }
        Assert.True(LogVerifier.Verify(await RegistryLogExport.ReadAsync(db)).Sound);
    }

    [Fact]
    public async Task An_entry_edited_behind_the_database_is_named_by_the_verifier_and_refused_at_start()
    {
        var (database, log, _) = await StudyThroughApprovalAsync();
        long position;
        string rehashed;
        await using (var db = database.CreateContext())
        {
            position = (await RegistryLogExport.ReadAsync(db)).Entries.First(e => e.Kind == LogEntryKind.TermsVersion).Index;
            Assert.True(position > 0);
            foreach (var sql in BypassTriggers) await db.Database.ExecuteSqlRawAsync(sql);
            await db.Database.ExecuteSqlAsync($"UPDATE transparency_entries SET \"Canonical\" = replace(\"Canonical\", 'documented', 'withdrawn') WHERE \"Position\" = {position}");
        }
        await using (var db = database.CreateContext())
        {
            var export = await RegistryLogExport.ReadAsync(db);
            Assert.Contains("withdrawn", export.Entries[(int)position].Summary);
            var result = LogVerifier.Verify(export, new LogVerifyOptions { TrustedLog = log.Key.Public });
            Assert.False(result.Sound);
            Assert.Equal(position, result.First!.FirstBadEntry);
            rehashed = Convert.ToHexStringLower(export.Entries[(int)position].LeafHash());
        }
        // The stored leaf hash no longer matches the edited text: a fresh registry refuses to start on this log, naming
        // the entry; and once the leaf hash is recomputed from the edited text too, the entries no longer match the latest
        // signed head.
        await using (var db = database.CreateContext())
        {
            var refused = await Assert.ThrowsAsync<LogVerificationException>(() => new RegistryLog(log.Key).LoadAsync(db));
            Assert.Equal(position, refused.FirstBadEntry);
            Assert.Contains($"entry {position} was edited", refused.Message);
        }
        await using (var db = database.CreateContext())
            await db.Database.ExecuteSqlAsync($"UPDATE transparency_entries SET \"LeafHash\" = {rehashed} WHERE \"Position\" = {position}");
        await using (var db = database.CreateContext())
            Assert.Contains("does not match its latest", (await Assert.ThrowsAsync<LogVerificationException>(() => new RegistryLog(log.Key).LoadAsync(db))).Message);
    }
}

public sealed class SqliteLogStorageTests : LogStorageContract, IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("smpc-sqlite-log-").FullName;

    protected override Task<RegistryDatabase> NewDatabaseAsync() =>
        Task.FromResult(RegistryDatabase.Resolve($"Data Source={Path.Combine(dir, Guid.NewGuid().ToString("N")[..8])}.db", dir));

    protected override string[] BypassTriggers => ["DROP TRIGGER transparency_entries_no_update"];

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresLogStorageTests(PostgresServer server) : LogStorageContract
{
    protected override async Task<RegistryDatabase> NewDatabaseAsync() =>
        RegistryDatabase.Resolve(await server.CreateDatabaseAsync("log"), Path.GetTempPath());

    protected override string[] BypassTriggers => ["ALTER TABLE transparency_entries DISABLE TRIGGER USER"];

    [Fact]
    public async Task The_log_writer_role_holds_no_right_to_update_or_delete()
    {
        var database = await NewDatabaseAsync();
        await using var db = database.CreateContext();
        await db.Database.MigrateAsync();
        await using var tx = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlRawAsync("SET LOCAL ROLE smpc_log_writer");
        Assert.Equal(0, await db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM transparency_entries").SingleAsync());
        var e = await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM transparency_entries"));
        Assert.Contains("permission denied", e.Message);
    }
}
