using System.Text.Json;

namespace Smpc.EndToEnd.Tests;

/// <summary>`smpc party serve` processes of one study in a folder (certs/study.json, store-N, party-N.jsonl logs).</summary>
internal static class PartyServiceProcesses
{
    public static readonly TimeSpan Generous = TimeSpan.FromMinutes(4);

    /// <summary>Starts party <paramref name="id"/> with its store and JSON-lines log in <paramref name="dir"/>; returns when it is ready.
    /// <paramref name="store"/> and <paramref name="config"/> replace store-N and certs/study.json (e.g. a restart with another store).</summary>
    public static CliProcess Serve(string dir, int id, string? store = null, string? config = null)
    {
        var p = CliProcess.Start(dir, "party", "serve", "--id", $"{id}", "--store", store ?? $"store-{id}", "--config", config ?? "certs/study.json",
            "--health-urls", "http://127.0.0.1:0", "--log", $"party-{id}.jsonl");
        Assert.True(p.WaitForOutput("ready", Generous), p.ToString());
        return p;
    }

    /// <summary>The compute state of the party's first study as its health endpoint reports it ("serving", "reconnecting", …).</summary>
    public static string ComputeState(CliProcess party)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var url = System.Text.RegularExpressions.Regex.Match(party.Stdout, @"health on (http://\S+)").Groups[1].Value;
        using var doc = JsonDocument.Parse(http.GetStringAsync(url + "health").GetAwaiter().GetResult());
        return doc.RootElement.GetProperty("studies")[0].GetProperty("compute").GetString() ?? "";
    }

    /// <summary>Waits until every party's health endpoint reports its compute side serving (the mesh is up).</summary>
    public static void WaitServing(string dir, IEnumerable<CliProcess> parties)
    {
        using var http = new HttpClient();
        foreach (var p in parties)
        {
            var url = System.Text.RegularExpressions.Regex.Match(p.Stdout, @"health on (http://\S+)").Groups[1].Value;
            var deadline = DateTime.UtcNow + Generous;
            string state = "";
            while (DateTime.UtcNow < deadline)
            {
                using var doc = JsonDocument.Parse(http.GetStringAsync(url + "health").GetAwaiter().GetResult());
                state = doc.RootElement.GetProperty("studies")[0].GetProperty("compute").GetString() ?? "";
                if (state == "serving") break;
                Thread.Sleep(250);
            }
            Assert.True(state == "serving", $"compute side is '{state}': {p}\n" + string.Join("\n", Enumerable.Range(0, 3)
                .Select(i => Path.Combine(dir, $"party-{i}.jsonl")).Where(File.Exists).SelectMany(f => File.ReadLines(f).Where(l => l.Contains("compute")).TakeLast(6))));
        }
    }

    /// <summary>Runs `smpc contribute` for each (dataset, contributor) at once, files NAME.csv, NAME.schema.json and
    /// NAME.terms.json in <paramref name="dataDir"/>; every upload must be acknowledged by the three parties.</summary>
    public static void Contribute(string dir, string dataDir, params (string Dataset, string Contributor)[] uploads)
    {
        var processes = uploads.Select(u => CliProcess.Start(dir, "contribute", "--config", "certs/study.json", "--dataset", u.Dataset,
            "--file", Path.Combine(dataDir, $"{u.Dataset}.csv"), "--schema", Path.Combine(dataDir, $"{u.Dataset}.schema.json"),
            "--terms", Path.Combine(dataDir, $"{u.Dataset}.terms.json"), "--contributor", u.Contributor, "--timeout", "60")).ToArray();
        try
        {
            foreach (var c in processes) Assert.True(c.WaitForExit(Generous) == 0, c.ToString());
        }
        finally
        {
            foreach (var c in processes) c.Dispose();
        }
    }
}
