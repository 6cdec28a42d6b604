// `Smpc.Bench --explain-accuracy lan,wan20,wan60 [--rows N]`: how close an explanation (SecureStudy.Explain, --explain)
// comes to the run it describes. The demo agencies (N bank records, default 2,000) at three party services in this
// process whose links pass a relay of each profile (real TLS on loopback); for a join and four queries, the explanation
// first (nothing computed), then the run, timed as the analyst waits for it. Prints one Markdown row per operation:
// rounds and bytes estimated and counted, expected and measured seconds and their ratio.
using System.Diagnostics;
using System.Globalization;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Transport;

namespace Smpc.Bench;

public static class ExplainAccuracy
{
    public static int Run(IReadOnlyList<string> profiles, int size)
    {
        var w = Console.Out;
        w.WriteLine($"demo agencies, {size:N0} bank records; three party services in one process, every party link through a relay of the profile");
        w.WriteLine();
        w.WriteLine("| profile | measured link | operation | rounds est. / run | MiB all parties est. / run | expected s | run s | run ÷ expected |");
        w.WriteLine("|---|---|---|---:|---:|---:|---:|---:|");
        foreach (var name in profiles)
        {
            var profile = name == "loopback" ? null : LinkProfile.Parse(name);
            using var study = SecureStudy.OpenDemo(size: size, seed: 2026, name: "explain-" + name.Replace('/', '-'), partyLinks: profile);
            var join = new JoinRequest { Datasets = ["veterans", "bank"], Name = "vb" };
            Row(w, name, study, "join veterans ⋈ bank", study.Explain(join), () => study.Join(join).Cost);
            foreach (var (label, request) in new (string, AggregateRequest)[]
            {
                ("count by era (joined)", new AggregateRequest { Dataset = "vb", GroupBy = ["service_era"] }),
                ("mean benefit by era", new AggregateRequest { Dataset = "veterans", Statistics = [StatisticKind.Mean], Columns = ["monthly_benefit"], GroupBy = ["service_era"] }),
                ("median benefit", new AggregateRequest { Dataset = "veterans", Statistics = [StatisticKind.Median], Columns = ["monthly_benefit"] }),
                ("OLS balance ~ benefit + age", new AggregateRequest { Dataset = "vb", Statistics = [StatisticKind.Ols], Columns = ["balance", "monthly_benefit", "age"] }),
            })
                Row(w, name, study, label, study.Explain(request), () => study.Aggregate(request).Cost);
        }
        return 0;
    }

    static void Row(TextWriter w, string profile, SecureStudy study, string label, Explanation x, Func<OperationCost> run)
    {
        if (x.Refused) { w.WriteLine($"| {profile} | | {label} | refused ({x.Rule}) | | | | |"); return; }
        var clock = Stopwatch.StartNew();
        var cost = run();
        double seconds = clock.Elapsed.TotalSeconds, expected = x.ExpectedMilliseconds / 1000;
        w.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {profile} | {x.Link} | {label} | {x.Rounds:N0} / {cost.Rounds:N0} | {x.Bytes / 1048576.0:N1} / {cost.Bytes / 1048576.0:N1} | {expected:N2} | {seconds:N2} | {seconds / expected:N2} |"));
    }
}
