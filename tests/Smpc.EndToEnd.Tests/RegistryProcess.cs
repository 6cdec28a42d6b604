using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Smpc.Governance.Transparency;
using Smpc.Registry.Tests.Infrastructure;

namespace Smpc.EndToEnd.Tests;

/// <summary>
/// `smpc registry --demo` as its operator runs it: a real OS process (in a network namespace or not) on SQLite in its
/// data folder, listening on loopback at a fixed URL (so a restart, e.g. from an older copy of that folder, is found at
/// the same address). Keeps the administrator's and the demo people's one-time passwords it prints at first start.
/// </summary>
internal sealed partial class RegistryProcess : IDisposable
{
    public const string AdminEmail = "admin@registry.localhost";
    static readonly TimeSpan Startup = TimeSpan.FromMinutes(2);

    readonly CliProcess _process;

    public string Url { get; }
    public string DataDirectory { get; }
    public string? AdminPassword { get; }
    public string? DemoPassword { get; }
    public CliProcess Process => _process;

    RegistryProcess(CliProcess process, string url, string data, string? admin, string? demo)
    {
        (_process, Url, DataDirectory, AdminPassword, DemoPassword) = (process, url, data, admin, demo);
    }

    [GeneratedRegex(@"Administrator: \S+  password: (\S+)")]
    private static partial Regex AdminPasswordLine();

    [GeneratedRegex(@"password of every demo person: (\S+)")]
    private static partial Regex DemoPasswordLine();

    /// <summary>Starts `smpc registry --demo --urls <paramref name="url"/> --data <paramref name="data"/>` (in
    /// <paramref name="networkNamespace"/> when given) and waits until it serves.</summary>
    public static RegistryProcess Start(string workingDirectory, string data, string url, string? networkNamespace = null)
    {
        string[] args = ["registry", "--urls", url, "--data", data, "--demo", "--public-url", url];
        var process = networkNamespace is null ? CliProcess.Start(workingDirectory, args) : CliProcess.StartIn(networkNamespace, workingDirectory, args);
        if (!process.WaitForOutput("Press Ctrl+C", Startup))
        {
            process.Dispose();
            Assert.Fail($"smpc registry did not start:\n{process}");
        }
        var output = process.Stdout;
        Assert.Contains($"listening on {url}", output);
        string? Match(Regex r) => r.Match(output) is { Success: true } m ? m.Groups[1].Value : null;
        return new RegistryProcess(process, url, Path.GetFullPath(data, workingDirectory), Match(AdminPasswordLine()), Match(DemoPasswordLine()));
    }

    /// <summary>Stops the registry (killed, as a crash or an operator's kill would stop it).</summary>
    public void Dispose() => _process.Dispose();
}

/// <summary>
/// The people of the registry's demo as they use it over HTTP: each signs in with the password the registry printed,
/// enrols an authenticator when the registry requires two-factor (coordinators and data stewards; codes by
/// <see cref="Totp"/>) and creates a personal access token (POST /api/tokens); then acts with it. A test study taken
/// from draft to analysis through the API as the coordinator, stewards and points of contact would.
/// </summary>
internal sealed partial class RegistryPeople(Func<bool, HttpClient> client, string adminPassword, string demoPassword)
{
    public const string Coordinator = "pat.quinn@research.example", Analyst = "alex.rivera@research.example";
    public static readonly string[] Operators = ["jamie.flores@research.example", "lee.park@va.example", "casey.novak@stats.example"];
    /// <summary>Points of contact, who record their organisation's commitment.</summary>
    static readonly Dictionary<string, string> Contacts = new()
    {
        ["research"] = Coordinator, ["va"] = "dana.reyes@va.example", ["bank"] = "morgan.ellis@bank.example", ["stats"] = "avery.shah@stats.example",
    };

    readonly Dictionary<string, string> _tokens = [];

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("id=\"shared-key\">([a-z0-9 ]+)<")]
    private static partial Regex SharedKey();

    static async Task<HttpResponseMessage> PostFormAsync(HttpClient http, string page, Dictionary<string, string> fields)
    {
        var html = await http.GetStringAsync(page);
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value);
        return await http.PostAsync(page, new FormUrlEncodedContent(fields));
    }

    /// <summary>The personal access token of <paramref name="email"/> (signed in once, through the pages).</summary>
    public async Task<string> TokenAsync(string email)
    {
        if (_tokens.TryGetValue(email, out var known)) return known;
        using var browser = client(true);
        var signIn = await PostFormAsync(browser, "/account/signin", new()
        {
            ["Email"] = email, ["Password"] = email == RegistryProcess.AdminEmail ? adminPassword : demoPassword,
        });
        Assert.True(signIn.StatusCode == HttpStatusCode.Redirect, $"{email} could not sign in: {(int)signIn.StatusCode} {await signIn.Content.ReadAsStringAsync()}");
        var request = new CreateToken("end-to-end", 1);
        var created = await browser.PostAsJsonAsync("/api/tokens", request);
        if (created.StatusCode == HttpStatusCode.Forbidden)
        {
            // Two-factor required (a coordinator or a data steward): enrol an authenticator as the enrolment page asks.
            var page = await browser.GetStringAsync("/account/two-factor");
            var key = SharedKey().Match(page).Groups[1].Value.Replace(" ", "");
            Assert.True(key.Length >= 16, $"no shared key on {email}'s enrolment page");
            var enrolled = await PostFormAsync(browser, "/account/two-factor", new() { ["Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
            Assert.True(enrolled.IsSuccessStatusCode, $"{email}'s enrolment: {(int)enrolled.StatusCode}");
            created = await browser.PostAsJsonAsync("/api/tokens", request);
        }
        var token = (await Ok(created, $"{email}'s token")).GetProperty("token").GetString()!;
        return _tokens[email] = token;
    }

    sealed record CreateToken(string Name, int Days);

    /// <summary>A client acting as <paramref name="email"/> with its token.</summary>
    public async Task<HttpClient> AsAsync(string email)
    {
        var http = client(false);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(email));
        return http;
    }

    /// <summary>The JSON of a successful response, else a failure naming <paramref name="what"/> and the registry's answer.</summary>
    public static async Task<JsonElement> Ok(HttpResponseMessage response, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{what}: {(int)response.StatusCode} {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>A dataset of the test study: its name, its organisation's short name, its steward, its terms file (the
    /// one its steward contributes with) and its data file (whose SHA-256 is the upload receipt's manifest).</summary>
    public sealed record Dataset(string Name, string Organisation, string Steward, string TermsFile, string DataFile);

    /// <summary>A study in the registry at its analysis stage: its id, the registry's work-token key and log key as
    /// the parties pin them.</summary>
    public sealed record Study(string Id, LogPublicKey TokenKey, LogPublicKey LogKey);

    /// <summary>Creates a study with the demo's analyst and three compute operators and <paramref name="datasets"/>,
    /// has each steward document (the terms file's JSON) and approve its terms, each organisation's point of contact
    /// record its commitment, each steward record its upload, and the coordinator advance it to analysis.</summary>
    public async Task<Study> StudyAtAnalysisAsync(string title, IReadOnlyList<Dataset> datasets)
    {
        using var coordinator = await AsAsync(Coordinator);
        var id = (await Ok(await coordinator.PostAsJsonAsync("/api/studies", new { title, purpose = "Registry-gated end-to-end test" }), "create the study")).GetProperty("id").GetString()!;
        string path = $"/api/studies/{id}";
        async Task<string> PersonId(string email)
        {
            using var me = await AsAsync(email);
            return (await Ok(await me.GetAsync("/api/me"), $"{email}: /api/me")).GetProperty("personId").GetString()!;
        }
        var organisations = (await Ok(await coordinator.GetAsync("/api/organisations"), "organisations")).EnumerateArray()
            .ToDictionary(o => o.GetProperty("slug").GetString()!, o => o.GetProperty("id").GetString()!);
        var members = new List<(string Email, string Role)> { (Analyst, "Analyst") };
        members.AddRange(Operators.Select(o => (o, "ComputeOperator")));
        members.AddRange(datasets.Select(d => (d.Steward, "DataSteward")));
        foreach (var (email, role) in members)
            await Ok(await coordinator.PostAsJsonAsync($"{path}/members", new { personId = await PersonId(email), role }), $"add {email} as {role}");
        var datasetIds = new Dictionary<string, string>();
        foreach (var d in datasets)
        {
            await Ok(await coordinator.PostAsJsonAsync($"{path}/datasets", new { name = d.Name, organisationId = organisations[d.Organisation] }), $"add dataset {d.Name}");
            var study = await Ok(await coordinator.GetAsync(path), "the study");
            datasetIds[d.Name] = study.GetProperty("datasets").EnumerateArray().Single(x => x.GetProperty("name").GetString() == d.Name).GetProperty("id").GetString()!;
        }
        var hashes = new Dictionary<string, string>();
        foreach (var d in datasets)
            using (var steward = await AsAsync(d.Steward))
            {
                var put = await steward.PutAsync($"{path}/datasets/{datasetIds[d.Name]}/terms", new StringContent(File.ReadAllText(d.TermsFile), Encoding.UTF8, "application/json"));
                hashes[d.Name] = (await Ok(put, $"terms of {d.Name}")).GetProperty("hash").GetString()!;
            }
        async Task Advance(string stage)
        {
            var advanced = await Ok(await coordinator.PostAsync($"{path}/advance", null), $"advance to {stage}");
            Assert.Equal(stage, advanced.GetProperty("stage").GetString());
        }
        await Advance("TermsDocumented");
        var participating = datasets.Select(d => d.Organisation).Concat(["research", "va", "stats"]).Distinct();   // the analyst's and the operators' organisations
        foreach (var org in participating)
            using (var contact = await AsAsync(Contacts[org]))
                await Ok(await contact.PostAsJsonAsync($"{path}/organisations/{organisations[org]}/commitment",
                    new { role = "Data contributor or compute party", deliverables = "As the study plans", dueBy = (string?)null }), $"{org}'s commitment");
        await Advance("Commitments");
        foreach (var d in datasets)
            using (var steward = await AsAsync(d.Steward))
                await Ok(await steward.PostAsJsonAsync($"{path}/datasets/{datasetIds[d.Name]}/approvals", new { termsHash = hashes[d.Name] }), $"approve {d.Name}");
        await Advance("Approved");
        foreach (var d in datasets)
            using (var steward = await AsAsync(d.Steward))
                await Ok(await steward.PostAsJsonAsync($"{path}/datasets/{datasetIds[d.Name]}/uploads",
                    new { manifestSha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(d.DataFile))) }), $"upload of {d.Name}");
        await Advance("DataCommitted");
        await Advance("Analysis");

        using var analyst = await AsAsync(Analyst);
        var tokenKey = await Ok(await analyst.GetAsync("/api/work-token-key"), "the work-token key");
        using var admin = await AsAsync(RegistryProcess.AdminEmail);
        var log = (await Ok(await admin.GetAsync("/api/log/export"), "the log's export")).GetProperty("log");
        return new Study(id, new LogPublicKey(tokenKey.GetProperty("name").GetString()!, Convert.FromBase64String(tokenKey.GetProperty("publicKey").GetString()!)),
            new LogPublicKey(log.GetProperty("name").GetString()!, Convert.FromBase64String(log.GetProperty("publicKey").GetString()!)));
    }

    /// <summary>A work token the registry issues to the analyst (POST /api/studies/{id}/work-token): the token and its id.</summary>
    public static async Task<(string Token, string Id)> WorkTokenAsync(HttpClient analyst, string studyId)
    {
        var issued = await Ok(await analyst.PostAsync($"/api/studies/{studyId}/work-token", null), "the analyst's work token");
        return (issued.GetProperty("token").GetString()!, issued.GetProperty("id").GetString()!);
    }

    /// <summary>Makes the study in <paramref name="studyJson"/> (from `smpc certs`) registry-gated: the registry's token
    /// key and log key pinned, its <paramref name="url"/> as the parties reach it, and beside study.json each party's
    /// compute operator's token (party p: <see cref="Operators"/>[p]) and its own witness key, whose public half the
    /// administrator registers. Returns the witness keys.</summary>
    public async Task<LogKey[]> GateAsync(string studyJson, Study study, string url)
    {
        var folder = Path.GetDirectoryName(studyJson)!;
        var node = JsonNode.Parse(File.ReadAllText(studyJson))!;
        node["registry"] = new JsonObject
        {
            ["name"] = study.TokenKey.Name, ["publicKey"] = Convert.ToBase64String(study.TokenKey.Key), ["studyId"] = study.Id, ["url"] = url,
            ["log"] = new JsonObject { ["name"] = study.LogKey.Name, ["publicKey"] = Convert.ToBase64String(study.LogKey.Key) },
        };
        using var admin = await AsAsync(RegistryProcess.AdminEmail);
        var keys = new LogKey[3];
        for (int p = 0; p < 3; p++)
        {
            File.WriteAllText(Path.Combine(folder, $"party-{p}.registry-token"), await TokenAsync(Operators[p]) + "\n");
            keys[p] = LogKey.LoadOrCreate(Path.Combine(folder, $"party-{p}.witness.key"), $"party-{p}");
            await Ok(await admin.PostAsJsonAsync("/api/log/witnesses", new { name = keys[p].Name, publicKey = Convert.ToBase64String(keys[p].Public.Key) }), $"register party {p}'s witness key");
            var party = node["parties"]!.AsArray().Single(x => (int)x!["id"]! == p)!;
            party["registryToken"] = $"party-{p}.registry-token";
            party["witnessKey"] = $"party-{p}.witness.key";
        }
        File.WriteAllText(studyJson, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return keys;
    }
}
