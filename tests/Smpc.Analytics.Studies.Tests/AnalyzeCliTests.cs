using System.Diagnostics;
using System.Globalization;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>
/// `smpc analyze` against three party services: a join and counts and means by county as csv (one header row with the
/// release DataFrame's column names, one row per cell, suppressed values empty) equal a plaintext computation of the
/// files; a refused request exits 3 naming the rule; bad arguments exit 2.
/// </summary>
public sealed class AnalyzeCliTests(PartyServicesFixture fixture) : IClassFixture<PartyServicesFixture>
{
    PartyServices Services => fixture.Services;

    string[] Analyst()
    {
        var config = Services.AnalystConfig(PartyServices.Analyst);
        return ["--config", Services.ConfigPath, "--certificate", config.Analyst.Certificate, "--key", config.Analyst.Key];
    }

    [Fact]
    public void A_join_and_counts_and_means_by_county_print_as_csv_equal_to_plaintext()
    {
        var (code, stdout, stderr) = Smpc(["analyze", .. Analyst(), "--join", "harbour,allotments", "--passes", "ssn,demographic", "--kind", "inner",
                                           "--name", "ha_cli", "--stat", "count,mean", "--column", "harvest_kg", "--group-by", "county", "--format", "csv"]);
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("county,count,mean(harvest_kg),status,rule", lines[0]);
        Assert.Equal(Strangers.Counties.Length + 1, lines.Length - 1);
        var plain = StrangersDataTests.PlainJoin(Services.Data);
        Assert.Contains("ha_cli", stderr);
        bool anySuppressed = false;
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',');
            Assert.Equal(5, f.Length);
            var rows = f[0] == Release.AllLabel ? plain : plain.Where(r => r.County == f[0]).ToList();
            if (f[3] == "suppressed")
            {
                anySuppressed = true;
                Assert.Equal("", f[1]);
                Assert.Equal("", f[2]);
                Assert.NotEqual("", f[4]);
                continue;
            }
            Assert.Equal("released", f[3]);
            Assert.Equal(rows.Count, int.Parse(f[1], CultureInfo.InvariantCulture));
            Assert.True(Math.Abs(double.Parse(f[2], CultureInfo.InvariantCulture) - rows.Average(r => r.Harvest)) <= Math.ScaleB(1.0, -9) + 1e-3, line);
        }
        Assert.True(anySuppressed);
        Assert.Contains(lines.Skip(1), l => l.StartsWith("Ulvsund,,,suppressed,", StringComparison.Ordinal));
        Services.ThrowIfFailed();
    }

    [Fact]
    public void Json_and_table_formats_show_the_same_cells_with_suppressed_values_absent()
    {
        var harbour = Strangers.ReadCsv(Services.Data.Harbour);
        var (code, stdout, stderr) = Smpc(["analyze", .. Analyst(), "--dataset", "harbour", "--stat", "count", "--group-by", "county", "--format", "json"]);
        Assert.True(code == 0, stderr);
        using var json = System.Text.Json.JsonDocument.Parse(stdout);
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(Strangers.Counties.Length + 1, rows.Count);
        foreach (var row in rows)
        {
            string county = row.GetProperty("county").GetString()!;
            var count = row.GetProperty("count");
            if (row.GetProperty("status").GetString() == "suppressed") Assert.Equal(System.Text.Json.JsonValueKind.Null, count.ValueKind);
            else Assert.Equal(county == Release.AllLabel ? harbour.Count : harbour.Count(r => r["county"] == county), count.GetDouble());
        }
        Assert.Equal("suppressed", rows.Single(r => r.GetProperty("county").GetString() == "Ulvsund").GetProperty("status").GetString());

        (code, stdout, stderr) = Smpc(["analyze", .. Analyst(), "--dataset", "harbour", "--stat", "count", "--group-by", "county"]);
        Assert.True(code == 0, stderr);
        Assert.Matches(@"(?m)^Ulvsund +— +suppressed \(cell size < 11\)$", stdout);   // aligned columns: the value absent
        Assert.Matches($@"(?m)^\(all\) +{harbour.Count} +released$", stdout);
        Services.ThrowIfFailed();
    }

    [Fact]
    public void A_refused_request_exits_3_with_the_rule_and_bad_arguments_exit_2()
    {
        var (code, stdout, stderr) = Smpc(["analyze", .. Analyst(), "--dataset", "allotments", "--stat", "mean", "--column", "plot_size_m2", "--format", "csv"]);
        Assert.Equal(3, code);
        Assert.Equal("", stdout);
        Assert.Contains("refused (AllowedColumns)", stderr);

        // A column the join's result will not have is found before the join runs: nothing is linked.
        (code, _, stderr) = Smpc(["analyze", .. Analyst(), "--join", "harbour,allotments", "--name", "ha_never", "--stat", "mean", "--column", "harvest_tons"]);
        Assert.Equal(2, code);
        Assert.Contains("no column 'harvest_tons'", stderr);
        Assert.Contains("nothing was run", stderr);
        (code, _, stderr) = Smpc(["analyze", .. Analyst(), "--dataset", "ha_never", "--stat", "count"]);
        Assert.Equal(3, code);

        (code, _, stderr) = Smpc(["analyze", .. Analyst(), "--stat", "count"]);
        Assert.Equal(2, code);
        Assert.Contains("--dataset D or --join", stderr);
        (code, _, stderr) = Smpc(["analyze", .. Analyst(), "--dataset", "harbour", "--stat", "count", "--format", "xml"]);
        Assert.Equal(2, code);
        Assert.Contains("--format", stderr);
        Services.ThrowIfFailed();
    }

    [Fact]
    public void Explain_prints_the_cost_and_reveals_without_running_and_the_run_takes_the_rounds_it_said()
    {
        string[] query = ["--dataset", "harbour", "--stat", "count", "--group-by", "county"];
        var (code, stdout, stderr) = Smpc(["analyze", .. Analyst(), .. query, "--explain"]);
        Assert.True(code == 0, stderr);
        Assert.Contains("would reveal:", stdout);
        Assert.Contains("expected time:", stdout);
        var estimated = long.Parse(System.Text.RegularExpressions.Regex.Match(stdout, @"([\d,]+) rounds").Groups[1].Value.Replace(",", ""), CultureInfo.InvariantCulture);
        (code, stdout, stderr) = Smpc(["analyze", .. Analyst(), .. query]);
        Assert.True(code == 0, stderr);
        var ran = long.Parse(System.Text.RegularExpressions.Regex.Match(stdout, @"([\d,]+) rounds").Groups[1].Value.Replace(",", ""), CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(estimated - ran) <= 0.1 * ran, $"{estimated} rounds explained, {ran} run");

        (code, stdout, _) = Smpc(["analyze", .. Analyst(), "--dataset", "allotments", "--stat", "mean", "--column", "plot_size_m2", "--explain", "--format", "json"]);
        Assert.Equal(3, code);
        using var json = System.Text.Json.JsonDocument.Parse(stdout);
        Assert.Equal("AllowedColumns", json.RootElement[0].GetProperty("rule").GetString());
        Services.ThrowIfFailed();
    }

    static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Smpc.Analytics.sln"))) return dir.FullName;
            throw new InvalidOperationException($"No Smpc.Analytics.sln above {AppContext.BaseDirectory}.");
        }
    }

    static (int ExitCode, string Out, string Err) Smpc(string[] args)
    {
        string configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        string cli = Path.Combine(Root, "src", "Smpc.Cli", "bin", configuration, "net10.0", "smpc.dll");
        Assert.True(File.Exists(cli), $"Build src/Smpc.Cli ({configuration}) first: {cli} is missing.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(cli);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3))) { process.Kill(entireProcessTree: true); throw new TimeoutException("smpc did not finish within 3 minutes."); }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
