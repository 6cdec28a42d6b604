using System.Text.Json;
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;

namespace Smpc.EndToEnd.Tests;

/// <summary>Processes share the machine's two cores: run these one at a time.</summary>
[CollectionDefinition("processes", DisableParallelization = true)]
public sealed class ProcessCollection { }

/// <summary>
/// The command a user runs by hand, as three real OS processes on 127.0.0.1 over TLS 1.3:
/// `smpc certs …` once, then `smpc party --id N --config study.json` three times.
/// </summary>
[Collection("processes")]
public sealed class ThreePartyProcessTests : IDisposable
{
    static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);
    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    readonly string _dir = CliProcess.TempFolder("smpc-e2e");

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    string Certs(string folder, string study, int[] ports)
    {
        using var certs = CliProcess.Start(_dir, "certs", "--study", study, "--out", folder, "--ports", string.Join(',', ports));
        Assert.True(certs.WaitForExit(Generous) == 0, certs.ToString());
        return Path.Combine(_dir, folder, "study.json");
    }

    static CliProcess Party(string dir, int id, string config, params string[] more) =>
        CliProcess.Start(dir, ["party", "--id", id.ToString(), "--config", config, .. more]);

    [Fact]
    public void Three_party_processes_over_TLS_get_exactly_the_in_process_results()
    {
        const int rows = 2000, seed = 99;
        var config = Certs("study", "e2e", CliProcess.FreePorts(3));
        var parties = Enumerable.Range(0, 3)
            .Select(i => Party(_dir, i, config, "--rows", $"{rows}", "--seed", $"{seed}", "--out", Path.Combine(_dir, $"result-{i}.json")))
            .ToArray();
        try
        {
            foreach (var p in parties) Assert.True(p.WaitForExit(Generous) == 0, p.ToString());
            var results = Enumerable.Range(0, 3)
                .Select(i => JsonSerializer.Deserialize<PartyDemoResult>(File.ReadAllText(Path.Combine(_dir, $"result-{i}.json")), Json)!)
                .ToArray();

            using var cluster = new LocalCluster();
            var local = cluster.Run(s => PartyDemo.Run(s, rows, seed));

            var a = PartyDemo.IntegerColumn(0, rows, seed); var b = PartyDemo.IntegerColumn(1, rows, seed);
            long dot = a.Zip(b, (u, v) => u * v).Sum();
            var fp = new FixedPoint(16);
            var x = fp.Encode(PartyDemo.FixedColumn(0, rows, seed)); var y = fp.Encode(PartyDemo.FixedColumn(1, rows, seed));
            for (int i = 0; i < 3; i++)
            {
                var r = results[i];
                Assert.Equal((i, rows, seed, 16), (r.Party, r.Rows, r.Seed, r.FractionBits));
                // Integer results: exactly the in-process results and the plaintext ones.
                Assert.Equal(local[i].DotProduct, r.DotProduct);
                Assert.Equal(dot, r.DotProduct);
                Assert.Equal(local[i].LessThan, r.LessThan);
                Assert.Equal(local[i].FixedProductsRaw, r.FixedProductsRaw);
                Assert.Equal(a.Zip(b, (u, v) => u < v), r.LessThan);
                // Same protocol, same messages: bytes and rounds per party equal the in-process run.
                Assert.Equal(local[i].Traffic, r.Traffic);
                // Opened to all parties: the three processes agree element for element.
                Assert.Equal(results[0].FixedProductsRaw, r.FixedProductsRaw);
                Assert.Equal(fp.Decode(r.FixedProductsRaw.Select(v => (ulong)v).ToArray()), r.FixedProducts);
                Assert.Contains("rounds", parties[i].Stdout);
            }
            // Fixed point: truncation is exact, so both runs equal the floor of the encoded product bit for bit.
            for (int k = 0; k < rows; k++)
            {
                long floor = (long)((Int128)(long)x[k] * (long)y[k] >> 16);
                Assert.Equal(floor, results[0].FixedProductsRaw[k]);
                Assert.Equal(floor, local[0].FixedProductsRaw[k]);
            }
        }
        finally
        {
            foreach (var p in parties) p.Dispose();
        }
    }

    [Fact]
    public void Killing_a_party_mid_run_stops_the_others_with_an_error_naming_it()
    {
        var config = Certs("study", "e2e-kill", CliProcess.FreePorts(3));
        // Enough rows that the run lasts well beyond the moment party 2 is killed.
        var parties = Enumerable.Range(0, 3)
            .Select(i => Party(_dir, i, config, "--rows", "3000000", "--receive-timeout", "120", "--out", Path.Combine(_dir, $"result-{i}.json")))
            .ToArray();
        try
        {
            Assert.True(parties[2].WaitForOutput("connected to parties", Generous), parties[2].ToString());
            parties[2].Kill();
            for (int i = 0; i < 2; i++)
            {
                int code = parties[i].WaitForExit(Generous);
                Assert.True(code != 0, $"party {i} should have failed\n{parties[i]}");
                Assert.Contains("Party 2", parties[i].Stderr);
                Assert.False(File.Exists(Path.Combine(_dir, $"result-{i}.json")), "a failed party must not write results");
            }
        }
        finally
        {
            foreach (var p in parties) p.Dispose();
        }
    }

    [Fact]
    public void A_party_with_a_foreign_certificate_is_refused()
    {
        var ports = CliProcess.FreePorts(3);
        var config = Certs("study", "e2e-trust", ports);
        var intruderConfig = Certs("intruder", "e2e-trust", ports);   // same study name and endpoints, another CA
        var parties = new[]
        {
            Party(_dir, 0, config, "--connect-timeout", "8"),
            Party(_dir, 1, config, "--connect-timeout", "8"),
            Party(_dir, 2, intruderConfig, "--connect-timeout", "8"),
        };
        try
        {
            // The intruder refuses the study's parties (their certificates are not from its CA) ...
            Assert.Equal(3, parties[2].WaitForExit(Generous));
            Assert.Contains("is not issued by study 'e2e-trust''s certificate authority", parties[2].Stderr);
            // ... so the study's parties never get a party 2: they stop at the connect timeout, and party 0 (which the
            // intruder dialed) reports the connection it refused: normally with the reason (the intruder's certificate is
            // not from the study CA); if the intruder hung up first, as a failed handshake.
            for (int i = 0; i < 2; i++)
            {
                Assert.Equal(3, parties[i].WaitForExit(Generous));
                Assert.Contains("party 2 did not connect", parties[i].Stderr);
            }
            Assert.Contains("Refused meanwhile", parties[0].Stderr);
            Assert.True(parties[0].Stderr.Contains("'CN=party-2, OU=compute party, O=e2e-trust' is not issued by study 'e2e-trust''s certificate authority")
                        || parties[0].Stderr.Contains("failed during the TLS handshake"), parties[0].Stderr);
        }
        finally
        {
            foreach (var p in parties) p.Dispose();
        }
    }

    [Fact]
    public void A_party_id_outside_0_to_2_is_refused_with_a_clear_error()
    {
        var config = Certs("study", "e2e-args", CliProcess.FreePorts(3));
        using var party = Party(_dir, 3, config);
        Assert.Equal(2, party.WaitForExit(Generous));
        Assert.Contains("party id must be 0, 1 or 2; got 3", party.Stderr);
    }
}
