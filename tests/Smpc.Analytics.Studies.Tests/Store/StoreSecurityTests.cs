using System.Text.Json;
using System.Text.RegularExpressions;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Studies.Store;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Studies.Tests.Store;

/// <summary>The store's protections: encryption key bound to the party's certificate, tamper detection naming the file,
/// study isolation at the TLS layer, and logs that never carry a value, identifier or pseudonym.</summary>
public sealed class StoreSecurityTests
{
    [Fact]
    public void A_store_opened_with_another_key_is_refused()
    {
        using var study = new StoreTestStudy();
        study.Contribute(study.WriteCsv(10), StoreTestStudy.Schema, StoreTestStudy.Terms());
        study.Stop(0);
        // The same study re-issued: party 0 now has another certificate key, hence another store key.
        var reissued = StudyCertificates.Create(study.Config.Study, Path.Combine(study.Root, "reissued"), [1, 2, 3], contributors: ["census"], uploadPorts: [4, 5, 6]);
        using var store = new PartyStore(study.StoreDir(0), 0);
        using var credentials = StudyCredentials.Load(reissued, StudyMember.Party(0));
        var error = Assert.Throws<StoreException>(() => store.Open(reissued, credentials));
        Assert.Contains("written under another key", error.Message);
        Assert.Empty(store.Studies);
        // Party 1's credentials cannot open party 0's store either.
        using var other = StudyCredentials.Load(study.Config, StudyMember.Party(1));
        Assert.Throws<StoreException>(() => store.Open(study.Config, other));
    }

    [Fact]
    public void A_second_service_on_the_same_store_and_study_is_refused()
    {
        using var study = new StoreTestStudy();
        using var store = new PartyStore(study.StoreDir(0), 0);
        using var service = new UploadService(store, new StoreLog(TextWriter.Null, 0));
        var error = Assert.Throws<StoreException>(() => service.Serve(study.Config, StudyCredentials.Load(study.Config, StudyMember.Party(0)), port: 0));
        Assert.Contains("already serves study", error.Message);
        Assert.Empty(service.Listeners);
    }

    [Fact]
    public void A_tampered_stored_file_is_refused_naming_the_file()
    {
        using var study = new StoreTestStudy();
        study.Contribute(study.WriteCsv(30), StoreTestStudy.Schema, StoreTestStudy.Terms());
        var path = Directory.EnumerateFiles(Path.Combine(study.StoreDir(1), study.Config.Study, "datasets"), "*.shares").Single();
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<StoreException>(() => study.Store(1).Load(study.Config.Study, "patients"));
        Assert.Contains(path, error.Message);
        Assert.Contains("SHA-256", error.Message);
        // A file changed together with its recorded hash still fails authentication (AES-GCM).
        var record = Path.Combine(study.StoreDir(1), study.Config.Study, "datasets", "patients.json");
        var json = File.ReadAllText(record);
        var recorded = JsonDocument.Parse(json).RootElement.GetProperty("storedSha256").GetString()!;
        File.WriteAllText(record, json.Replace(recorded, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), StringComparison.Ordinal));
        var second = Assert.Throws<StoreException>(() => study.Store(1).Load(study.Config.Study, "patients"));
        Assert.Contains(path, second.Message);
        Assert.Contains("fails authentication", second.Message);
        // The untouched parties still load.
        Assert.Equal(30, study.Store(0).Load(study.Config.Study, "patients").Table.RowCount);
    }

    [Fact]
    public void Another_studys_contributor_is_refused_and_nothing_is_stored()
    {
        using var study = new StoreTestStudy();
        using var foreign = new StoreTestStudy("other-study");
        var file = study.WriteCsv(10);
        // A contributor of "other-study" aims at this study's parties (same study name in its config is not enough: other CA).
        var aimed = foreign.Config with { Parties = study.Config.Parties };
        using var credentials = StudyCredentials.Load(foreign.Config, StudyMember.ContributorNamed("census"));
        var error = Assert.ThrowsAny<SmpcException>(() => DatasetUpload.Run(aimed, credentials, "patients", file, StoreTestStudy.Schema, StoreTestStudy.Terms(), foreign.PseudonymKey,
            new UploadOptions { Timeout = TimeSpan.FromSeconds(10) }));
        Assert.IsType<CertificateRefusedException>(error);
        study.AssertNothingStored();
        Assert.DoesNotContain("upload-started", study.AllLogs);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public void The_analyst_or_a_party_is_refused_on_the_upload_port(int member)
    {
        using var study = new StoreTestStudy();
        using var credentials = StudyCredentials.Load(study.Config, member < 0 ? StudyMember.Analyst : StudyMember.Party(member));
        using var client = new System.Net.Sockets.TcpClient();
        client.Connect(study.Config.UploadEndPoint(0));
        using var ssl = new System.Net.Security.SslStream(client.GetStream(), false, (_, _, _, _) => true);
        try
        {
            ssl.AuthenticateAsClient(new System.Net.Security.SslClientAuthenticationOptions
            {
                TargetHost = "",
                ClientCertificates = [credentials.Certificate],
                EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls13,
            });
            ssl.ReadTimeout = 10_000;
            Assert.Equal(0, ssl.Read(new byte[16]));   // the service closes instead of greeting
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException) { }
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!study.Log(0).Contains("connection-refused") && DateTime.UtcNow < deadline) Thread.Sleep(50);
        Assert.Contains("is not a contributor", study.Log(0));
        study.AssertNothingStored();
    }

    [Fact]
    public void The_service_logs_never_contain_a_value_an_identifier_or_a_pseudonym()
    {
        using var study = new StoreTestStudy();
        var file = study.WriteCsv(60);
        study.Contribute(file, StoreTestStudy.Schema, StoreTestStudy.Terms());
        study.Contribute(file, StoreTestStudy.Schema, StoreTestStudy.Terms());   // status path too
        var logs = study.AllLogs;
        Assert.Contains("upload-committed", logs);

        // Every log field, split into tokens; every cell of the input (and every pseudonym) must be absent.
        var fields = logs.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(line => JsonDocument.Parse(line).RootElement.EnumerateObject().Where(p => p.Name != "time").Select(p => p.Value.ToString()))
            .ToList();
        var tokens = fields.SelectMany(f => Regex.Split(f, @"[^A-Za-z0-9.\-/]+")).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var cells = File.ReadLines(file).Skip(1).SelectMany(l => l.Split(',')).Where(c => c.Length > 0).Distinct().ToList();
        Assert.True(cells.Count > 200);
        foreach (var cell in cells)
        {
            Assert.DoesNotContain(cell, tokens);
            if (cell.Any(char.IsLetter) && cell.Length > 1) Assert.DoesNotContain(cell, logs, StringComparison.OrdinalIgnoreCase);
        }
        var prepared = DatasetUpload.Prepare(DatasetReader.Read(file, StoreTestStudy.Schema), StoreTestStudy.Terms(), study.PseudonymKey, _ => { });
        foreach (var key in new[] { "ssn_key", "demographic_key" })
            foreach (var pseudonym in ((Array)prepared.Data[key]).Cast<object?>().Where(v => v is not null).Select(v => v!.ToString()!))
                Assert.DoesNotContain(pseudonym, tokens);
    }
}
