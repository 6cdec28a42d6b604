using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Smpc.Governance.DataUse;
using Smpc.Governance;
using Smpc.Registry.Auth;
using Smpc.Registry.Hosting;
using Smpc.Registry.Tests.Infrastructure;

namespace Smpc.Registry.Tests.Web;

/// <summary>
/// The authorisation matrix, generated from the app's own endpoint list: every endpoint × every principal (anonymous,
/// administrator, each study role, points of contact, an outsider) × the target organisation being the principal's own
/// or another → allowed or denied, compared with the expectations written below, independently of the app's rules.
/// An endpoint without an access rule, or with a rule this table does not know, fails the test.
/// </summary>
public sealed class AuthorizationMatrixTests
{
    enum Who { Anonymous, Admin, Coordinator, StewardA, StewardB, Analyst, OperatorA, OperatorB, Auditor, ContactA, ContactB, Outsider }

    static readonly Who[] Everyone = Enum.GetValues<Who>();
    static readonly Who[] SignedIn = Everyone.Where(w => w != Who.Anonymous).ToArray();
    static readonly Who[] StudyViewers = [Who.Coordinator, Who.StewardA, Who.StewardB, Who.Analyst, Who.OperatorA, Who.OperatorB, Who.Auditor, Who.ContactA, Who.ContactB];

    /// <summary>Who may call an endpoint with this rule, when the target organisation (dataset owner or organisation in
    /// the route) is A or B.</summary>
    static Who[] Expected(string rule, char target) => rule switch
    {
        "Anonymous" => Everyone,
        "Authenticated" or "Enrolment" => SignedIn,
        "OrganisationContact" => [Who.Admin, target == 'A' ? Who.ContactA : Who.ContactB],
        "Admin" => [Who.Admin],
        "Study:View" or "Study:View@Dataset" => StudyViewers,
        "Study:Coordinate" => [Who.Coordinator],
        "Study:DocumentTerms@Dataset" or "Study:ApproveTerms@Dataset" or "Study:RecordUpload@Dataset" or "Study:ReviewRelease@Dataset" => [target == 'A' ? Who.StewardA : Who.StewardB],
        "Study:RecordCommitment@Organisation" => [target == 'A' ? Who.ContactA : Who.ContactB],
        "Study:AttestDestruction@Organisation" => [target == 'A' ? Who.OperatorA : Who.OperatorB],
        "Study:Analyse" => [Who.Analyst],
        "Study:LogComputation" => [Who.OperatorA, Who.OperatorB],
        "Study:RevokeWorkToken" => [Who.Admin, Who.Coordinator, Who.Analyst],   // the analyst: a token issued to them
        _ => throw new KeyNotFoundException(rule),
    };

    sealed record Setup(Guid StudyId, Dictionary<char, Guid> Datasets, Dictionary<char, Guid> Organisations, Dictionary<Who, string> Tokens, Guid AnalystId,
        Dictionary<char, Guid> Victims, long LogIndex);

    [Fact]
    public async Task Every_endpoint_allows_exactly_whom_the_matrix_says()
    {
        await using var server = await RegistryServer.StartAsync();
        var setup = await SeedAsync(server);
        var endpoints = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.True(endpoints.Count > 20, $"only {endpoints.Count} endpoints found");

        var problems = new List<string>();
        int requests = 0;
        foreach (var endpoint in endpoints)
        {
            string route = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            var rule = endpoint.Metadata.GetMetadata<AccessRule>();
            if (rule is null) { problems.Add($"{route}: no access rule"); continue; }
            try { Expected(rule.ToString(), 'A'); }
            catch (KeyNotFoundException) { problems.Add($"{route}: rule {rule} has no row in the matrix"); continue; }
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var targets = route.Contains("{datasetId}") || route.Contains("{organisationId}") ? new[] { 'A', 'B' } : ['A'];
            foreach (var method in methods)
                foreach (char target in targets)
                {
                    string path = Fill(route, setup, target);
                    if (path.Contains('{')) { problems.Add($"{route}: no sample value for a route parameter"); continue; }
                    var allowed = Expected(rule.ToString(), target).ToHashSet();
                    foreach (var who in Everyone)
                    {
                        using var client = server.Client();
                        if (who != Who.Anonymous) client.WithToken(setup.Tokens[who]);
                        var request = new HttpRequestMessage(new HttpMethod(method), path);
                        if (method is "POST" or "PUT") request.Content = new StringContent(Body(method, route, setup, target), Encoding.UTF8, "application/json");
                        var response = await client.SendAsync(request);
                        requests++;
                        int status = (int)response.StatusCode;
                        bool toSignIn = response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.Contains("/account/signin") == true;
                        string cell = $"{method} {route} [target {target}] as {who}: {status}";
                        if (status >= 500) problems.Add($"{cell} (server error)");
                        else if (allowed.Contains(who))
                        {
                            if (status is 401 or 403 or 404 || toSignIn) problems.Add($"{cell}, expected allowed");
                        }
                        else if (who == Who.Anonymous ? !(status == 401 || toSignIn) : status != 403)
                            problems.Add($"{cell}, expected {(who == Who.Anonymous ? "401 or sign-in" : "403")}");
                    }
                }
        }
        Assert.True(problems.Count == 0, $"{problems.Count} of {requests} cells wrong:\n" + string.Join("\n", problems));
        Assert.True(requests > 300, $"only {requests} requests made");
    }

    static string Fill(string route, Setup s, char target) => route
        .Replace("{studyId}", s.StudyId.ToString())
        .Replace("{datasetId}", s.Datasets[target].ToString())
        .Replace("{organisationId}", s.Organisations[target].ToString())
        .Replace("{documentName}", "v1")
        .Replace("{personId}", s.Victims[target].ToString())
        .Replace("{name}", "passkeys.js")
        .Replace("{index:long}", s.LogIndex.ToString())
        .Replace("{reviewId}", ReviewId)
        .Replace("{tokenId}", WorkTokenId);

    /// <summary>A work token issued to the matrix's analyst (its log entry), for the revocation endpoint.</summary>
    const string WorkTokenId = "fedcba9876543210fedcba9876543210";

    /// <summary>A release held for review on both datasets (three parties' copies each), for the review endpoints.</summary>
    const string ReviewId = "0123456789abcdef0123456789abcdef";

    /// <summary>A well-formed body for each write, so an allowed call reaches the rules (it may still be refused by
    /// the lifecycle with 409; that is not an authorisation answer).</summary>
    static string Body(string method, string route, Setup s, char target)
    {
        string unique = Guid.NewGuid().ToString("N")[..8];
        object body = route switch
        {
            "/api/studies" => new { title = "Matrix study " + unique },
            "/api/organisations" => new { slug = "org-" + unique, name = "Organisation " + unique },
            "/api/people" => new { name = "Person " + unique, email = unique + "@matrix.example", organisationId = s.Organisations['A'] },
            "/api/tokens" => new { name = "matrix" },
            _ when route.EndsWith("/members") => new { personId = s.AnalystId, role = "Analyst" },
            _ when route.EndsWith("/datasets") => new { name = "data-" + unique, organisationId = s.Organisations['A'] },
            _ when route.EndsWith("/terms") => RegistrySeeder.Terms("bank") with { Dataset = target == 'A' ? "alpha-data" : "beta-data", MinCellSize = Random.Shared.Next(5, 50) },
            _ when route.EndsWith("/approvals") => new { termsHash = new string('0', 64) },
            _ when route.EndsWith("/uploads") => new { manifestSha256 = new string('a', 64) },
            _ when route.EndsWith("/commitment") => new { role = "partner", deliverables = "its part" },
            _ when route.EndsWith("/reviews/{reviewId}") => new { approve = false, reason = "matrix" },
            _ when route.EndsWith("/log/computations") => new
            {
                kind = "release", party = 0, analyst = "analyst@matrix.example", operation = "aggregate", request = "count on 'alpha-data'",
                datasets = new[] { "alpha-data" }, resultSha256 = new string('a', 64),
            },
            "/api/organisations/{organisationId}/invitations" => new { email = unique + "@invited.example", name = "Invitee " + unique },
            "/api/studies/{studyId}/invitations" => new { email = unique + "@invited.example", name = "Invitee " + unique, organisationId = s.Organisations[target], role = "Analyst" },
            _ => new { },
        };
        return body is DataUseTerms terms ? JsonSerializer.Serialize(terms, DataUseTerms.Json) : JsonSerializer.Serialize(body);
    }

    static async Task<Setup> SeedAsync(RegistryServer server)
    {
        return await server.WithDbAsync(async (db, users) =>
        {
            var now = DateTime.UtcNow;
            async Task<Organisation> Org(string slug)
            {
                var o = new Organisation { Slug = slug, Name = slug };
                db.Organisations.Add(o);
                await db.SaveChangesAsync();
                return o;
            }
            var a = await Org("alpha");
            var b = await Org("beta");
            var c = await Org("coordinating");
            var d = await Org("oversight");
            var people = new Dictionary<Who, Person>();
            foreach (var (who, org) in new[]
                     {
                         (Who.Coordinator, c), (Who.StewardA, a), (Who.StewardB, b), (Who.Analyst, c), (Who.OperatorA, a), (Who.OperatorB, b),
                         (Who.Auditor, d), (Who.ContactA, a), (Who.ContactB, b), (Who.Outsider, a),
                     })
                people[who] = (await Accounts.CreateAsync(db, users, org, who.ToString(), $"{who}@matrix.example".ToLowerInvariant())).Person;
            // Every principal has two-factor enrolled, as coordinators and data stewards must (creating a study makes
            // anyone a coordinator); the matrix is about study rights, TwoFactorTests about the enrolment gate.
            foreach (var person in people.Values) await Http.EnrolTotpAsync(users, db.Users.First(u => u.PersonId == person.Id));
            // Accounts to deactivate, one per organisation (the deactivation endpoint's targets).
            var victims = new Dictionary<char, Guid>
            {
                ['A'] = (await Accounts.CreateAsync(db, users, a, "Victim A", "victim.a@matrix.example")).Person.Id,
                ['B'] = (await Accounts.CreateAsync(db, users, b, "Victim B", "victim.b@matrix.example")).Person.Id,
            };
            a.PointOfContactId = people[Who.ContactA].Id;
            b.PointOfContactId = people[Who.ContactB].Id;
            c.PointOfContactId = people[Who.Coordinator].Id;
            await db.SaveChangesAsync();

            var study = StudyLifecycle.Create("Matrix", "", people[Who.Coordinator], now);
            var coordinator = Actor.Of(people[Who.Coordinator]);
            foreach (var (who, role) in new[]
                     {
                         (Who.StewardA, StudyRole.DataSteward), (Who.StewardB, StudyRole.DataSteward), (Who.Analyst, StudyRole.Analyst),
                         (Who.OperatorA, StudyRole.ComputeOperator), (Who.OperatorB, StudyRole.ComputeOperator), (Who.Auditor, StudyRole.Auditor),
                     })
                StudyLifecycle.AddMember(study, coordinator, people[who], role, now);
            var da = StudyLifecycle.AddDataset(study, coordinator, "alpha-data", a, now);
            var dbb = StudyLifecycle.AddDataset(study, coordinator, "beta-data", b, now);
            db.Studies.Add(study);
            await db.SaveChangesAsync();

            var tokens = new Dictionary<Who, string>();
            var adminUser = db.Users.First(u => u.IsAdmin);
            await Http.EnrolTotpAsync(users, adminUser);
            tokens[Who.Admin] = PersonalAccessTokens.Issue(db, adminUser, "matrix", now, TimeSpan.FromHours(1));
            foreach (var (who, person) in people)
                tokens[who] = PersonalAccessTokens.Issue(db, db.Users.First(u => u.PersonId == person.Id), "matrix", now, TimeSpan.FromHours(1));
            await db.SaveChangesAsync();
            foreach (var dataset in new[] { da, dbb })
                for (int party = 0; party < 3; party++)
                    db.ReleaseReviews.Add(new Smpc.Registry.Data.ReleaseReviewRow
                    {
                        StudyId = study.Id, DatasetId = dataset.Id, ReviewId = ReviewId, Party = party, Analyst = "analyst@matrix.example",
                        Request = "count on 'alpha-data'", ForAnalyst = "AQ==", ForSteward = "AQ==", SubmittedBy = people[Who.OperatorA].Id, SubmittedAt = now,
                    });
            db.Record(new Smpc.Registry.Transparency.LogRecord(Smpc.Governance.Transparency.LogEntryKind.WorkToken, now, "Work token issued to the matrix's analyst.", study.Id.ToString(), people[Who.Analyst].Id.ToString())
            {
                Data = new Dictionary<string, string> { ["tokenId"] = WorkTokenId, ["expires"] = now.AddMinutes(15).ToString("O") },
            });
            await db.SaveChangesAsync();
            var logIndex = db.LogEntries.Where(e => e.Study == study.Id.ToString()).Min(e => e.Position);
            return new Setup(study.Id, new() { ['A'] = da.Id, ['B'] = dbb.Id }, new() { ['A'] = a.Id, ['B'] = b.Id }, tokens, people[Who.Analyst].Id, victims, logIndex);
        });
    }
}
