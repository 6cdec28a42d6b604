using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Smpc.Governance.Transparency;
using Smpc.Registry.Api;
using Smpc.Registry.Tests.Infrastructure;

namespace Smpc.Registry.Tests.Web;

/// <summary>The log over HTTP on the demo registry: two compute parties act as witnesses (keys registered by the
/// administrator), each fetches the latest head and a consistency proof from the head it last countersigned, checks
/// and countersigns it; the administrator's export then verifies with both cosignatures required, and a steward gets
/// the study's entries with inclusion proofs that check offline.</summary>
public sealed class LogApiTests
{
    [Fact]
    public async Task Witnesses_countersign_heads_over_the_api_and_the_export_verifies_with_their_cosignatures()
    {
        await using var server = await RegistryServer.StartAsync(demo: true);
        using var admin = server.Client().WithToken(await Http.TokenAsync(server, server.Report.AdminEmail));
        var first = await (await admin.GetAsync("/api/log/head")).Content.ReadAsStringAsync();
        var logKeyJson = JsonDocument.Parse(await (await admin.GetAsync("/api/log/export")).Content.ReadAsStringAsync()).RootElement.GetProperty("log");
        var logKey = new LogPublicKey(logKeyJson.GetProperty("name").GetString()!, Convert.FromBase64String(logKeyJson.GetProperty("publicKey").GetString()!));

        var parties = new[] { LogKey.Generate("party-0"), LogKey.Generate("party-1") };
        foreach (var p in parties)
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/log/witnesses", new WitnessKeyRequest(p.Name, Convert.ToBase64String(p.Public.Key)))).StatusCode);
        var witnesses = parties.Select(p => new Witness(p, logKey)).ToList();

        async Task CosignAsync(Witness w)
        {
            using var doc = JsonDocument.Parse(await (await admin.GetAsync("/api/log/head")).Content.ReadAsStringAsync());
            var head = SignedTreeHead.Read(doc.RootElement, "head");
            long from = w.Last?.Size ?? head.Size;
            var consistency = await (await admin.GetAsync($"/api/log/consistency?from={from}&to={head.Size}")).ReadAsync<ConsistencyResponse>();
            var c = w.Cosign(head, consistency.Proof.Select(Convert.FromHexString).ToList(), DateTime.UtcNow);
            var posted = await admin.PostAsJsonAsync("/api/log/cosignatures", new CosignatureRequest(head.Size, c.Witness, c.KeyId, c.Time, Convert.ToBase64String(c.Signature)));
            Assert.Equal(HttpStatusCode.NoContent, posted.StatusCode);
        }
        foreach (var w in witnesses) await CosignAsync(w);
        // More history (a new token is an account change the log does not record; a new witness key is), then again.
        using (var w2 = await admin.PostAsJsonAsync("/api/log/witnesses", new WitnessKeyRequest("steward-held", Convert.ToBase64String(LogKey.Generate("x").Public.Key))))
            Assert.Equal(HttpStatusCode.Created, w2.StatusCode);
        foreach (var w in witnesses) await CosignAsync(w);

        // A forged cosignature (signed by a key other than the registered one) is refused.
        var impostor = LogKey.Generate("party-0");
        var latest = witnesses[0].Last!;
        var forged = impostor.Sign(SignedTreeHead.CosignedText("party-0", parties[0].Public.KeyId, latest.Body()));
        var refused = await admin.PostAsJsonAsync("/api/log/cosignatures", new CosignatureRequest(latest.Size, "party-0", parties[0].Public.KeyId, DateTime.UtcNow, Convert.ToBase64String(forged)));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        var export = LogExport.Parse(await (await admin.GetAsync("/api/log/export")).Content.ReadAsStringAsync(), "export");
        var result = LogVerifier.Verify(export, new LogVerifyOptions { TrustedLog = logKey, TrustedWitnesses = parties.Select(p => p.Public).ToList(), RequiredCosignatures = 2 });
        Assert.True(result.Sound, result.Summary);
        Assert.True(result.Cosignatures >= 4, result.Summary);
        Assert.NotEqual(first, await (await admin.GetAsync("/api/log/head")).Content.ReadAsStringAsync());

        // The demo study's own entries, each with an inclusion proof that checks offline.
        using var steward = server.Client().WithToken(await Http.TokenAsync(server, "riley.chen@bank.example"));
        var studyId = export.Entries.First(e => e.Study is not null).Study!;
        Assert.Equal(HttpStatusCode.Forbidden, (await steward.GetAsync("/api/log/export")).StatusCode);
        var proofs = JsonDocument.Parse(await (await steward.GetAsync($"/api/studies/{studyId}/log")).Content.ReadAsStringAsync()).RootElement;
        Assert.True(proofs.GetArrayLength() >= 5);
        foreach (var p in proofs.EnumerateArray())
        {
            var proof = InclusionProof.Parse(p.GetRawText(), "proof");
            Assert.Equal(studyId, proof.Entry.Study);
            proof.Verify(logKey, parties.Select(k => k.Public).ToList());
        }

        // A password sign-in is logged, naming the person (the analyst needs no second factor).
        using (var browser = server.Client())
            Assert.Equal(HttpStatusCode.Redirect, (await Http.SignInAsync(browser, "alex.rivera@research.example", server.Report.Demo!.Password!)).StatusCode);
        var analystId = await server.WithDbAsync((db, _) => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.People, p => p.Email == "alex.rivera@research.example"));
        var signedIn = LogExport.Parse(await (await admin.GetAsync("/api/log/export")).Content.ReadAsStringAsync(), "export");
        Assert.Contains(signedIn.Entries, e => e.Kind == LogEntryKind.SignIn && e.Actor == analystId.Id.ToString());
        Assert.True(LogVerifier.Verify(signedIn).Sound);
    }
}
