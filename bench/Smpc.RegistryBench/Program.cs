// Smpc.RegistryBench: the registry under the load of a working day (issue 12, point 10). The registry runs in this
// process on SQLite and on a real PostgreSQL server (the tests' throw-away cluster), seeded with 10,000 people in 20
// organisations and 1,000 studies (each with a coordinator, three datasets in three organisations with stewards,
// an analyst, an auditor, a plan and documented terms); then 200 of those people, each with a personal access token,
// load their dashboards concurrently for a fixed time: "my studies" and "my actions" as pages and as the JSON API.
// Prints one Markdown row per database and endpoint: requests, throughput, p50/p95/p99 latency.
//
//   dotnet run -c Release --project bench/Smpc.RegistryBench -- [--db sqlite,postgres] [--users 10000] [--studies 1000]
//                                                              [--concurrency 200] [--seconds 30]
// The load generator shares the machine (2 cores) with the registry and the database; figures are for this machine.
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Smpc.Governance;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;
using Smpc.Registry.Hosting;
using Smpc.Registry.Tests.Infrastructure;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string Arg(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
var databases = Arg("--db", "sqlite,postgres").Split(',');
int users = int.Parse(Arg("--users", "10000")), studies = int.Parse(Arg("--studies", "1000"));
int concurrency = int.Parse(Arg("--concurrency", "200")), seconds = int.Parse(Arg("--seconds", "30"));

Console.WriteLine($"registry load: {users:N0} people, {studies:N0} studies, {concurrency} concurrent users for {seconds} s each database; {Environment.ProcessorCount} cores");
Console.WriteLine();
Console.WriteLine("| database | endpoint | requests | per second | p50 ms | p95 ms | p99 ms | errors |");
Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
PostgresServer? postgres = null;
try
{
    foreach (var database in databases)
    {
        string? connection = null;
        if (database == "postgres")
        {
            postgres = new PostgresServer();
            await postgres.InitializeAsync();
            // The throw-away cluster allows 100 connections (3 kept for superusers): the registry's pool stays below.
            connection = await postgres.CreateDatabaseAsync("load") + ";Maximum Pool Size=90";
        }
        await RunAsync(database, connection);
    }
}
finally
{
    if (postgres is not null) await postgres.DisposeAsync();
}
return 0;

async Task RunAsync(string database, string? connection)
{
    string dir = Path.Combine(Path.GetTempPath(), "smpc-registry-load-" + Guid.NewGuid().ToString("N")[..8]);
    var options = new RegistryOptions { Urls = "http://127.0.0.1:0", DataDirectory = dir, Connection = connection };
    var app = RegistryApp.Build(options);
    await RegistryApp.InitialiseAsync(app, options);
    await app.StartAsync();
    var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    try
    {
        var seed = Stopwatch.StartNew();
        var tokens = await SeedAsync(app.Services);
        Console.Error.WriteLine($"{database}: seeded in {seed.Elapsed.TotalSeconds:N0} s");
        var endpoints = new[] { "/", "/actions", "/api/my/studies", "/api/actions" };
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        var samples = endpoints.ToDictionary(e => e, _ => new List<double>());
        var errors = endpoints.ToDictionary(e => e, _ => 0);
        var gate = new object();
        async Task User(int i, DateTime until, bool record)
        {
            using var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens[i % tokens.Count]);
            int k = i;
            while (DateTime.UtcNow < until)
            {
                var endpoint = endpoints[k++ % endpoints.Length];
                var clock = Stopwatch.StartNew();
                bool ok;
                try
                {
                    using var response = await client.GetAsync(endpoint);
                    await response.Content.ReadAsByteArrayAsync();
                    ok = response.IsSuccessStatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { ok = false; }
                if (!record) continue;
                lock (gate)
                {
                    if (ok) samples[endpoint].Add(clock.Elapsed.TotalMilliseconds);
                    else errors[endpoint]++;
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i => User(i, DateTime.UtcNow.AddSeconds(5), record: false)));   // warm-up
        var run = Stopwatch.StartNew();
        var end = DateTime.UtcNow.AddSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i => User(i, end, record: true)));
        double elapsed = run.Elapsed.TotalSeconds;
        foreach (var e in endpoints.Append("all"))
        {
            var s = (e == "all" ? samples.Values.SelectMany(x => x) : samples[e]).Order().ToArray();
            int failed = e == "all" ? errors.Values.Sum() : errors[e];
            double P(double q) => s.Length == 0 ? double.NaN : s[Math.Min(s.Length - 1, (int)Math.Ceiling(q * s.Length) - 1)];
            Console.WriteLine($"| {database} | {e} | {s.Length:N0} | {s.Length / elapsed:N0} | {P(0.5):N0} | {P(0.95):N0} | {P(0.99):N0} | {failed} |");
        }
    }
    finally
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }
}

// 20 organisations, `users` people with accounts (two-factor marked enrolled: the bench signs in with tokens), and
// `studies` studies built with the lifecycle operations; returns personal access tokens of 200 study members.
async Task<List<string>> SeedAsync(IServiceProvider services)
{
    var now = DateTime.UtcNow;
    var rng = new Random(2026);
    var people = new List<Person>();
    var accounts = new Dictionary<Guid, RegistryUser>();
    using (var scope = services.CreateScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        var normalizer = scope.ServiceProvider.GetRequiredService<ILookupNormalizer>();
        var orgs = Enumerable.Range(0, 20).Select(i => new Organisation { Slug = $"org-{i:00}", Name = $"Agency {i:00}" }).ToList();
        db.Organisations.AddRange(orgs);
        await db.SaveChangesAsync();
        for (int start = 0; start < users; start += 1000)
        {
            var batch = Enumerable.Range(start, Math.Min(1000, users - start)).Select(i =>
            {
                var org = orgs[i % orgs.Count];
                return new Person { Name = $"Person {i:00000}", Email = $"person{i:00000}@{org.Slug}.example", OrganisationId = org.Id };
            }).ToList();
            db.People.AddRange(batch);
            await db.SaveChangesAsync();
            foreach (var p in batch)
            {
                var u = new RegistryUser
                {
                    UserName = p.Email, NormalizedUserName = normalizer.NormalizeName(p.Email), Email = p.Email, NormalizedEmail = normalizer.NormalizeEmail(p.Email),
                    EmailConfirmed = true, PersonId = p.Id, LockoutEnabled = true, TwoFactorEnabled = true,
                    SecurityStamp = Guid.NewGuid().ToString("N"), ConcurrencyStamp = Guid.NewGuid().ToString(),
                };
                db.Users.Add(u);
                accounts[p.Id] = u;
            }
            await db.SaveChangesAsync();
            people.AddRange(batch);
            db.ChangeTracker.Clear();
        }
    }
    var members = new HashSet<Guid>();
    var terms = RegistrySeeder.Terms("survey");
    for (int start = 0; start < studies; start += 50)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        var repo = new StudyRepository(db);
        for (int n = start; n < Math.Min(studies, start + 50); n++)
        {
            Person Pick() => people[rng.Next(people.Count)];
            var coordinatorId = Pick().Id;
            var coordinator = await db.People.Include(p => p.Organisation).FirstAsync(p => p.Id == coordinatorId);
            var study = StudyLifecycle.Create($"Study {n:0000}", "Load test study.", coordinator, now.AddDays(-rng.Next(1, 200)));
            var actor = Actor.Of(coordinator);
            members.Add(coordinator.Id);
            for (int d = 0; d < 3; d++)
            {
                var stewardId = Pick().Id;
                var steward = await db.People.Include(p => p.Organisation).FirstAsync(p => p.Id == stewardId);
                if (study.Datasets.Any(x => x.OrganisationId == steward.OrganisationId)) continue;
                StudyLifecycle.AddMember(study, actor, steward, StudyRole.DataSteward, now);
                var dataset = StudyLifecycle.AddDataset(study, actor, $"data{d}", steward.Organisation, now);
                if (rng.Next(2) == 0) StudyLifecycle.DocumentTerms(study, Actor.Of(steward), dataset, terms with { Dataset = dataset.Name }, now);
                members.Add(steward.Id);
            }
            foreach (var role in new[] { StudyRole.Analyst, StudyRole.Auditor })
            {
                var personId = Pick().Id;
                var person = await db.People.Include(p => p.Organisation).FirstAsync(p => p.Id == personId);
                if (study.Members.Any(m => m.PersonId == person.Id)) continue;
                StudyLifecycle.AddMember(study, actor, person, role, now);
                members.Add(person.Id);
            }
            StudyLifecycle.SetPlan(study, actor, new StudyPlan { ReleaseAudience = [StudyPlan.StudyTeam], Operations = ["count", "mean"] }, now);
            repo.Add(study);
        }
        await repo.SaveAsync();
    }
    using (var scope = services.CreateScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        var tokens = new List<string>();
        foreach (var id in members.OrderBy(_ => rng.Next()).Take(concurrency))
            tokens.Add(PersonalAccessTokens.Issue(db, await db.Users.FirstAsync(u => u.PersonId == id), "load", now, TimeSpan.FromDays(1)));
        await db.SaveChangesAsync();
        return tokens;
    }
}
