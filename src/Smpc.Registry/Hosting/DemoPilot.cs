using Microsoft.EntityFrameworkCore;
using Smpc.Governance;
using Smpc.Governance.DataUse;
using Smpc.Governance.Transparency;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;

namespace Smpc.Registry.Hosting;

/// <summary>
/// The demo's second study: a small pilot between the veterans' administration and the statistics office, coordinated by
/// the research institute, with both terms approved. The registry seeds it up to its approval (<see cref="SeedAsync"/>);
/// what follows is what production does, run by <c>smpc registry --demo</c> once the registry listens: the contributors
/// share their datasets with three registry-gated compute parties and their stewards record the upload receipts
/// (<see cref="RecordUploadsAsync"/>, the same lifecycle call as <c>POST …/datasets/{id}/uploads</c>), the coordinator
/// opens the analysis, the analyst takes a work token from the API, and each compute party posts what it computed to
/// <c>POST …/log/computations</c> with its compute operator's credential. The registry itself never computes: its log
/// holds the pilot's queries, releases, ε spends and refusals only because they happened.
/// </summary>
public static class DemoPilot
{
    public const string Title = "Veterans' earnings pilot";

    /// <summary>The pilot's analyst: the account its terms name, its work tokens and the parties' records carry.</summary>
    public const string Analyst = "alex.rivera@research.example";

    /// <summary>The compute operators of parties 0, 1 and 2 (research institute, veterans' administration, statistics office).</summary>
    public static readonly IReadOnlyList<string> Operators = ["jamie.flores@research.example", "lee.park@va.example", "casey.novak@stats.example"];

    const string Coordinator = "pat.quinn@research.example";

    /// <summary>Each dataset of the pilot and the steward who documents its terms and records its upload.</summary>
    public static readonly IReadOnlyDictionary<string, string> Stewards = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["veterans"] = "sam.okafor@va.example", ["survey"] = "jordan.kim@stats.example",
    };

    /// <summary>The pilot's terms of <paramref name="dataset"/>: the agency's terms file with the pilot's analyst named;
    /// the veterans' administration leaves 'state' out of the pilot (no geography below the nation).</summary>
    public static DataUseTerms Terms(string dataset)
    {
        var terms = RegistrySeeder.Terms(dataset);
        return terms with
        {
            AllowedAnalysts = [Analyst],
            AllowedColumns = dataset == "veterans" ? terms.AllowedColumns.Where(c => c != "state").ToArray() : terms.AllowedColumns,
        };
    }

    /// <summary>Where the pilot stands: its stage, the datasets without an upload receipt, and how many computation
    /// entries (queries, releases, refusals) the log holds for it.</summary>
    public sealed record Status(Guid StudyId, StudyStage Stage, IReadOnlyList<string> NotUploaded, int ComputationEntries);

    /// <summary>Seeds the pilot up to its approval when the registry has none (the demo's people must exist:
    /// <see cref="RegistrySeeder.SeedDemoAsync"/>); returns where it stands.</summary>
    public static async Task<Status> SeedAsync(IServiceProvider services, CancellationToken ct = default)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var existing = await db.Studies.Where(s => s.Title == Title).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct);
        if (existing is null)
        {
            var people = await db.People.Include(p => p.Organisation).Where(p => p.Email.EndsWith(".example")).ToDictionaryAsync(p => p.Email, ct);
            Person P(string email) => people.TryGetValue(email, out var p) ? p
                : throw new InvalidOperationException($"The demo's person {email} is missing: the pilot is seeded after the demo's people.");
            DateTime Day(int daysAgo) => now.AddDays(-daysAgo);
            var coordinator = P(Coordinator);
            var c = Actor.Of(coordinator);
            var study = StudyLifecycle.Create(Title,
                "A pilot of the veterans' study between the veterans' administration and the statistics office: link benefit records " +
                "with the graduate survey and describe veterans' earnings by service era, before the bank joins.", coordinator, Day(60));
            var members = new List<(string, StudyRole)> { (Analyst, StudyRole.Analyst) };
            members.AddRange(Operators.Select(o => (o, StudyRole.ComputeOperator)));
            members.AddRange(Stewards.Values.Select(s => (s, StudyRole.DataSteward)));
            members.Add(("taylor.brooks@stats.example", StudyRole.Auditor));
            foreach (var (email, role) in members) StudyLifecycle.AddMember(study, c, P(email), role, Day(59));
            var datasets = Stewards.Keys.ToDictionary(d => d, d => StudyLifecycle.AddDataset(study, c, d, P(Stewards[d]).Organisation, Day(58)));
            StudyLifecycle.SetPlan(study, c, new StudyPlan
            {
                ReleaseAudience = [StudyPlan.StudyTeam],
                Operations = ["count", "sum", "mean", "groupby", "crosstab", "join"],
                PlannedEnd = new DateOnly(2027, 12, 31),
            }, Day(57));
            foreach (var (name, dataset) in datasets) StudyLifecycle.DocumentTerms(study, Actor.Of(P(Stewards[name])), dataset, Terms(name), Day(55));
            StudyLifecycle.Advance(study, c, Day(54));
            StudyLifecycle.RecordCommitment(study, c, coordinator.Organisation, "Coordinator, analyst and compute party",
                "Pilot plan, secure analyses, report", DateOnly.FromDateTime(Day(-60)), Day(53));
            StudyLifecycle.RecordCommitment(study, Actor.Of(P("dana.reyes@va.example")), P("dana.reyes@va.example").Organisation,
                "Data contributor and compute party", "Veterans' benefit file with terms; one compute party", DateOnly.FromDateTime(Day(-30)), Day(52));
            StudyLifecycle.RecordCommitment(study, Actor.Of(P("avery.shah@stats.example")), P("avery.shah@stats.example").Organisation,
                "Data contributor, compute party and disclosure review", "Graduate survey file with terms; one compute party", DateOnly.FromDateTime(Day(-30)), Day(52));
            StudyLifecycle.Advance(study, c, Day(51));
            foreach (var (name, dataset) in datasets)
                StudyLifecycle.ApproveTerms(study, Actor.Of(P(Stewards[name])), dataset, dataset.CurrentTerms!.Hash, Day(48));
            StudyLifecycle.Advance(study, c, Day(47));
            db.Studies.Add(study);
            await db.SaveChangesAsync(ct);
        }
        return await StatusAsync(services, ct);
    }

    public static async Task<Status> StatusAsync(IServiceProvider services, CancellationToken ct = default)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        var study = await db.Studies.Include(s => s.Datasets).ThenInclude(d => d.Uploads).Include(s => s.Datasets).ThenInclude(d => d.TermsVersions).AsSplitQuery().AsNoTracking().FirstOrDefaultAsync(s => s.Title == Title, ct)
            ?? throw new InvalidOperationException($"The registry has no study '{Title}'.");
        string id = study.Id.ToString();
        string[] kinds = [nameof(LogEntryKind.Query), nameof(LogEntryKind.Release), nameof(LogEntryKind.Refusal)];
        int computations = await db.LogEntries.CountAsync(e => e.Study == id && kinds.Contains(e.Kind), ct);
        var notUploaded = study.Datasets.Where(d => !d.Uploads.Any(u => u.TermsHash == d.CurrentTerms?.Hash)).Select(d => d.Name).Order(StringComparer.Ordinal).ToList();
        return new Status(study.Id, study.Stage, notUploaded, computations);
    }

    /// <summary>Each steward records the upload receipt of their dataset (the SHA-256 of the share manifest the
    /// contribution produced), then the coordinator moves the pilot on to its analysis stage.</summary>
    public static async Task<Status> RecordUploadsAsync(IServiceProvider services, IReadOnlyDictionary<string, string> manifests, CancellationToken ct = default)
    {
        var status = await StatusAsync(services, ct);
        using (var scope = services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
            var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
            var study = await new StudyRepository(db).FindAsync(status.StudyId, ct) ?? throw new InvalidOperationException($"The registry has no study '{Title}'.");
            var people = await db.People.Include(p => p.Organisation).Where(p => p.Email.EndsWith(".example")).ToDictionaryAsync(p => p.Email, ct);
            foreach (var name in status.NotUploaded)
            {
                if (!manifests.TryGetValue(name, out var manifest)) throw new InvalidOperationException($"No share manifest for '{name}': it was not contributed.");
                StudyLifecycle.RecordUpload(study, Actor.Of(people[Stewards[name]]), study.Datasets.Single(d => d.Name == name), manifest, clock.GetUtcNow().UtcDateTime);
                await db.SaveChangesAsync(ct);
            }
            while (study.Stage < StudyStage.Analysis)
            {
                StudyLifecycle.Advance(study, Actor.Of(people[Coordinator]), clock.GetUtcNow().UtcDateTime);
                await db.SaveChangesAsync(ct);
            }
        }
        return await StatusAsync(services, ct);
    }

    /// <summary>Personal access tokens for <paramref name="emails"/> (the pilot's analyst and compute operators, who use
    /// the API as they would from their own machines), valid for <paramref name="lifetime"/>; revoke them with
    /// <see cref="RevokeTokensAsync"/> when done.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> IssueTokensAsync(IServiceProvider services, IEnumerable<string> emails, TimeSpan lifetime, CancellationToken ct = default)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var email in emails.Distinct(StringComparer.Ordinal))
        {
            var user = await db.Users.FirstOrDefaultAsync(u => u.Email == email, ct) ?? throw new InvalidOperationException($"The demo has no account {email}.");
            tokens[email] = PersonalAccessTokens.Issue(db, user, "demo pilot", now, lifetime);
        }
        await db.SaveChangesAsync(ct);
        return tokens;
    }

    public static async Task RevokeTokensAsync(IServiceProvider services, IEnumerable<string> tokens, CancellationToken ct = default)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var hashes = tokens.Select(PersonalAccessTokens.Hash).ToList();
        foreach (var token in await db.PersonalAccessTokens.Where(t => hashes.Contains(t.TokenHash)).ToListAsync(ct)) token.RevokedAt ??= now;
        await db.SaveChangesAsync(ct);
    }
}
