using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Studies.Store;
using Smpc.Governance.DataUse;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Studies.Tests.Store;

/// <summary>
/// What a party receives during an OPRF upload (every frame after TLS, captured at the party): no identifier, no
/// normalised key, no hash of a key to the curve, no unblinded intermediate or final OPRF value and no pseudonym — only
/// blinded points, shares and counts. And who may ask for evaluations: no one outside the study's contributors, no
/// contributor outside an upload it began, and none beyond the upload's allowance. A party applying another key than
/// it announced fails the contributor's check points; a contributor configured for another pseudonymiser than the
/// parties is refused.
/// </summary>
public sealed class OprfUploadSecurityTests
{
    static bool Contains(List<(byte Kind, byte[] Payload)> frames, byte[] pattern) =>
        frames.Any(f => f.Payload.AsSpan().IndexOf(pattern) >= 0);

    [Fact]
    public void A_party_receives_no_identifier_curve_hash_oprf_value_or_pseudonym()
    {
        using var study = new StoreTestStudy(pseudonymiser: "oprf");
        var file = study.WriteCsv(60);
        study.Contribute(file, StoreTestStudy.Schema, StoreTestStudy.Terms());

        var forbidden = new List<(string What, byte[] Bytes)>();
        foreach (var cell in File.ReadLines(file).Skip(1).SelectMany(l => l.Split(',').Take(4)).Where(c => c.Length >= 4).Distinct())
            forbidden.Add(($"identifier cell '{cell}'", Encoding.UTF8.GetBytes(cell)));
        var shares = Enumerable.Range(0, 3).Select(p => study.Store(p).OprfKey(study.Config.Study)).ToArray();
        foreach (var kind in new[] { LinkageKeyKind.Ssn, LinkageKeyKind.NameDateOfBirthSex, LinkageKeyKind.NameDateOfBirth })
        {
            var keys = LinkageKeyKinds.Key(kind, StoreTestStudy.Schema).KeysOf(DatasetReader.Read(file, StoreTestStudy.Schema).Identifiers)
                .OfType<string>().Distinct().ToArray();
            Assert.True(keys.Length >= 50);
            foreach (var k in keys.Where(k => k.Length >= 4)) forbidden.Add(($"{kind} key '{k}'", Encoding.UTF8.GetBytes(k)));
            var h1 = new byte[keys.Length * 32];
            new HashToCurve25519(OprfPseudonymiser.HashToCurveTag).HashMany([.. keys.Select(Encoding.UTF8.GetBytes)], h1);
            // H1(x), then the value after each party's share without blinding: k0·H1(x), k1·k0·H1(x), k·H1(x) (the OPRF output).
            var stage = h1;
            for (int p = 0; p <= 3; p++)
            {
                for (int i = 0; i < keys.Length; i++) forbidden.Add(($"{kind} value after {p} shares", stage.AsSpan(i * 32, 32).ToArray()));
                if (p < 3) stage = shares[p].Apply(X25519Backend.Default, stage);
            }
        }
        var stored = PartyStoreUploadTests.Recombine([.. Enumerable.Range(0, 3).Select(p => study.Store(p).Load(study.Config.Study, "patients"))]);
        foreach (var (column, values) in stored.Where(v => v.Column.EndsWith("_key", StringComparison.Ordinal)))
            foreach (var v in values) forbidden.Add(($"pseudonym of {column}", BitConverter.GetBytes(v)));

        for (int p = 0; p < 3; p++)
        {
            var frames = study.Received[p];
            Assert.Contains(frames, f => f.Kind == UploadProtocol.Points);
            long points = frames.Where(f => f.Kind == UploadProtocol.Points).Sum(f => f.Payload.Length / 32);
            Assert.InRange(points, 60 * 3 + 1, OprfEndpoint.Allowance(60, 3));   // every row and key, plus check points
            foreach (var (what, bytes) in forbidden)
                Assert.False(Contains(frames, bytes), $"party {p} received {what}");
        }
        // The capture is able to see what it looks for: the dataset name and the schema do travel in clear to the party.
        Assert.True(Contains(study.Received[0], Encoding.UTF8.GetBytes("stay_cost")));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public void The_analyst_or_a_party_gets_no_evaluation(int member)
    {
        using var study = new StoreTestStudy(pseudonymiser: "oprf");
        using var credentials = StudyCredentials.Load(study.Config, member < 0 ? StudyMember.Analyst : StudyMember.Party(member));
        using var client = new System.Net.Sockets.TcpClient();
        client.Connect(study.Config.UploadEndPoint(0));
        using var ssl = new System.Net.Security.SslStream(client.GetStream(), false, (_, _, _, _) => true);
        var answered = new byte[16];
        int read = 0;
        try
        {
            ssl.AuthenticateAsClient(new System.Net.Security.SslClientAuthenticationOptions
            {
                TargetHost = "", ClientCertificates = [credentials.Certificate], EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls13,
            });
            ssl.ReadTimeout = 10_000;
            UploadProtocol.Send(ssl, UploadProtocol.Points, Points(4));
            read = ssl.Read(answered);
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException) { }
        Assert.Equal(0, read);
        Assert.DoesNotContain(study.Received[0], f => f.Kind == UploadProtocol.Points);
        Assert.DoesNotContain("oprf-granted", study.Log(0));
    }

    [Fact]
    public void A_contributor_gets_no_evaluation_outside_its_upload_or_beyond_its_allowance()
    {
        using var study = new StoreTestStudy(pseudonymiser: "oprf");
        using var credentials = StudyCredentials.Load(study.Config, StudyMember.ContributorNamed("census"));

        using (var peer = Dial(study, credentials))
        {
            UploadProtocol.Send(peer.Stream, UploadProtocol.Points, Points(2));
            var refused = UploadProtocol.ReceiveMessage(peer.Stream, "party 0");
            Assert.Equal("error", refused.Type);
            Assert.Contains("before an allowance", refused.Message);
        }
        using (var peer = Dial(study, credentials))
        {
            UploadProtocol.Send(peer.Stream, new UploadMessage("oprf") { Dataset = "probe", UploadId = new string('a', 32), Rows = 1000, Keys = 1 });
            var refused = UploadProtocol.ReceiveMessage(peer.Stream, "party 0");
            Assert.Equal("error", refused.Type);
            Assert.Contains("outside an upload", refused.Message);
        }
        using (var peer = Dial(study, credentials))
        {
            var terms = JsonSerializer.Serialize(StoreTestStudy.Terms("probe"), DataUseTerms.Json);
            var schema = new TableSchema { Name = "probe", Columns = [new ColumnSpec { Name = "visits", Kind = ColumnKind.Integer, Min = 0, Max = 10 }] };
            UploadProtocol.Send(peer.Stream, new UploadMessage("begin")
            {
                Dataset = "probe", UploadId = new string('b', 32), SharingId = new string('c', 32), FileSha256 = new string('0', 64), SchemaSha256 = new string('0', 64),
                TermsSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(terms))), TermsJson = terms, Schema = schema, Presence = [],
            });
            Assert.Equal("ready", UploadProtocol.ReceiveMessage(peer.Stream, "party 0").Type);
            UploadProtocol.Send(peer.Stream, new UploadMessage("oprf") { Dataset = "probe", UploadId = new string('b', 32), Rows = 2, Keys = 1 });
            var granted = UploadProtocol.ReceiveMessage(peer.Stream, "party 0");
            Assert.Equal(OprfEndpoint.Allowance(2, 1), granted.Evaluations);
            Assert.Equal(study.Store(0).OprfKey(study.Config.Study).PublicKey(X25519Backend.Default), Convert.FromHexString(granted.PublicKey!));

            // Within the allowance the party applies its share; one point more than is left is refused.
            var points = Points(60);
            UploadProtocol.Send(peer.Stream, UploadProtocol.Points, points);
            var frame = UploadProtocol.Receive(peer.Stream)!.Value;
            Assert.Equal(UploadProtocol.Points, frame.Kind);
            Assert.Equal(study.Store(0).OprfKey(study.Config.Study).Apply(X25519Backend.Default, points), frame.Payload);
            UploadProtocol.Send(peer.Stream, UploadProtocol.Points, Points((int)(granted.Evaluations!.Value - 60 + 1)));
            var refused = UploadProtocol.ReceiveMessage(peer.Stream, "party 0");
            Assert.Equal("error", refused.Type);
            Assert.Contains($"has {granted.Evaluations - 60} left", refused.Message);
        }
        Assert.Contains("oprf-granted", study.Log(0));
        var deadline = DateTime.UtcNow.AddSeconds(10);   // the party drops the unfinished upload once it sees the connection close
        while (!study.Log(0).Contains("upload-abandoned") && DateTime.UtcNow < deadline) Thread.Sleep(50);
        study.AssertNothingStored("probe");
    }

    [Theory]
    [InlineData("oprf", null)]
    [InlineData(null, "oprf")]
    public void A_contributor_whose_study_json_names_another_pseudonymiser_than_the_parties_is_refused(string? parties, string? contributor)
    {
        using var study = new StoreTestStudy(pseudonymiser: parties);
        var file = study.WriteCsv(20);
        using var credentials = StudyCredentials.Load(study.Config, StudyMember.ContributorNamed("census"));
        var error = Assert.Throws<PeerFailureException>(() => DatasetUpload.Run(study.Config with { Pseudonymiser = contributor }, credentials, "patients", file,
            StoreTestStudy.Schema, StoreTestStudy.Terms(), study.PseudonymKey, new UploadOptions { BatchSize = 16, Timeout = TimeSpan.FromSeconds(20) }));
        Assert.Equal(0, error.Peer);
        Assert.Contains(parties == "oprf" ? "pseudonymises with the parties' OPRF" : "pseudonymises with the contributors' keyed hash", error.Message);
        study.AssertNothingStored();
    }

    [Fact]
    public void A_party_that_applies_another_key_than_it_announced_fails_the_check_points_and_nothing_is_committed()
    {
        using var study = new StoreTestStudy(pseudonymiser: "oprf");
        var other = RandomNumberGenerator.GetBytes(32);
        study.Stop(1);
        study.Start(1, deviation: answer =>
        {
            var wrong = new byte[answer.Length];
            X25519Backend.Default.MultiplyFixed(other, answer, wrong);   // k'·k_1·x: a share other than the announced one
            return wrong;
        });
        var error = Assert.Throws<PeerFailureException>(() => study.Contribute(study.WriteCsv(40), StoreTestStudy.Schema, StoreTestStudy.Terms()));
        Assert.Equal(1, error.Peer);
        Assert.Matches(@"fails (\d+) of \1 check points", error.Message);
        study.AssertNothingStored();
    }

    [Fact]
    public void A_study_json_naming_an_unknown_pseudonymiser_is_refused_with_the_field_named()
    {
        using var study = new StoreTestStudy();
        var path = Path.Combine(study.Root, "certs", "bad.json");
        var error = Assert.Throws<SmpcException>(() => (study.Config with { Pseudonymiser = "hmac-oprf" }).Save(path));
        Assert.Contains("'pseudonymiser' is 'hmac-oprf'", error.Message);
        Assert.False(File.Exists(path));
    }

    static UploadPeer Dial(StoreTestStudy study, StudyCredentials credentials)
    {
        var peer = UploadTls.Dial(credentials, 0, study.Config.UploadEndPoint(0), TimeSpan.FromSeconds(20));
        peer.Stream.ReadTimeout = 20_000;
        Assert.Equal("hello", UploadProtocol.ReceiveMessage(peer.Stream, "party 0").Type);
        return peer;
    }

    /// <summary>n points of the prime-order subgroup (t·G for random t), as blinded points look.</summary>
    static byte[] Points(int n)
    {
        var points = new byte[n * 32];
        for (int i = 0; i < n; i++)
            X25519Backend.Default.Multiply(RandomNumberGenerator.GetBytes(32), OprfKeyShare.BasePoint).CopyTo(points, i * 32);
        return points;
    }
}
