using System.Text.Json;
using System.Text.RegularExpressions;

namespace Smpc.EndToEnd.Tests;

/// <summary>Starting `smpc party serve` processes in a study folder and reading their health endpoint.</summary>
internal static class PartyServiceProcesses
{
    /// <summary>Starts party <paramref name="id"/> of the study in <paramref name="dir"/> (certs/study.json unless
    /// <paramref name="config"/>, store-ID unless <paramref name="store"/>, log party-ID.jsonl) and waits until it is ready.</summary>
    public static CliProcess Serve(string dir, int id, TimeSpan timeout, string? store = null, string? config = null)
    {
        var p = CliProcess.Start(dir, "party", "serve", "--id", $"{id}", "--store", store ?? $"store-{id}", "--config", config ?? "certs/study.json",
            "--health-urls", "http://127.0.0.1:0", "--log", $"party-{id}.jsonl");
        Assert.True(p.WaitForOutput("ready", timeout), p.ToString());
        return p;
    }

    /// <summary>The compute state of the party's first study as its health endpoint reports it ("serving", "reconnecting", …).</summary>
    public static string ComputeState(CliProcess party)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var url = Regex.Match(party.Stdout, @"health on (http://\S+)").Groups[1].Value;
        using var doc = JsonDocument.Parse(http.GetStringAsync(url + "health").GetAwaiter().GetResult());
        return doc.RootElement.GetProperty("studies")[0].GetProperty("compute").GetString() ?? "";
    }

    /// <summary>Waits until every party's health endpoint reports its compute side serving (the mesh is up).</summary>
    public static void WaitServing(string dir, IEnumerable<CliProcess> parties, TimeSpan timeout)
    {
        foreach (var p in parties)
        {
            var deadline = DateTime.UtcNow + timeout;
            string state = "";
            while (DateTime.UtcNow < deadline)
            {
                state = ComputeState(p);
                if (state == "serving") break;
                Thread.Sleep(250);
            }
            Assert.True(state == "serving", $"compute side is '{state}': {p}\n" + string.Join("\n", Enumerable.Range(0, 3)
                .Select(i => Path.Combine(dir, $"party-{i}.jsonl")).Where(File.Exists).SelectMany(f => File.ReadLines(f).Where(l => l.Contains("compute")).TakeLast(6))));
        }
    }
}
