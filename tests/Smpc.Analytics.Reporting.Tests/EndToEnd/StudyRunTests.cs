using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Smpc.Analytics.Synthetic;

namespace Smpc.Analytics.Reporting.Tests.EndToEnd;

/// <summary>
/// The main job end to end: `smpc study run` as a process writes the report and the packet; the packet's hashes match
/// the files; releases equal the plaintext ground truth (file aggregates) or a plaintext twin of the same linkage
/// (linked aggregates); suppressed cells' values appear in no output file; the report's charts draw in headless Chromium.
/// </summary>
public sealed class StudyRunTests(StudyRunFixture run) : IClassFixture<StudyRunFixture>
{
    static readonly Lazy<(AgencyFile Vets, AgencyFile Bank, AgencyFile Survey)> Files = new(() =>
        (PlainLinkage.Load("veterans"), PlainLinkage.Load("bank"), PlainLinkage.Load("survey")));
    static readonly Lazy<List<(int Base, int Other)>> VetsBank = new(() => PlainLinkage.Link(Files.Value.Vets, Files.Value.Bank));
    static readonly Lazy<List<(int Base, int Other)>> VetsSurvey = new(() => PlainLinkage.Link(Files.Value.Vets, Files.Value.Survey));

    static T[] Col<T>(AgencyFile f, string column) => (T[])f.Analysis[column];

    [Fact]
    public void It_exits_zero_and_prints_where_the_report_and_packet_are()
    {
        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        foreach (var name in new[] { ReportWriter.ReportHtml, ReportWriter.PacketJson, ReportWriter.PacketMarkdown, ReportWriter.ManifestSums })
        {
            var path = Path.Combine(run.Output, name);
            Assert.True(File.Exists(path), $"{name} missing");
            Assert.Contains(path, run.Stdout);
        }
        Assert.Contains("checks passed", run.Stdout);
        Assert.True(run.Packet!.RootElement.GetProperty("checksPassed").GetBoolean());
    }

    [Fact]
    public void SHA256SUMS_lists_every_output_file_with_its_real_hash()
    {
        var lines = File.ReadAllLines(Path.Combine(run.Output, ReportWriter.ManifestSums));
        var listed = lines.Select(l => l[66..]).ToHashSet();
        var present = Directory.GetFiles(run.Output, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(run.Output, f).Replace('\\', '/')).Where(f => f != ReportWriter.ManifestSums).ToHashSet();
        Assert.Equal(present, listed);
        foreach (var l in lines)
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(run.Output, l[66..])))), l[..64]);
    }

    [Fact]
    public void The_packet_names_every_input_file_with_its_SHA256_and_the_terms_it_was_used_under()
    {
        var files = run.Packet!.RootElement.GetProperty("datasets").EnumerateArray()
            .SelectMany(d => d.GetProperty("files").EnumerateArray()).ToArray();
        Assert.Equal(9, files.Length);
        foreach (var f in files)
        {
            var path = Path.Combine(Repo.Root, f.GetProperty("path").GetString()!);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), f.GetProperty("sha256").GetString());
        }
        var bank = run.Packet.RootElement.GetProperty("datasets").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "bank");
        Assert.Equal(20, bank.GetProperty("terms").GetProperty("minCellSize").GetInt32());
        Assert.True(bank.GetProperty("terms").GetProperty("internalUseOnly").GetBoolean());
    }

    [Fact]
    public void File_aggregates_equal_the_ground_truth()
    {
        using var truth = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Root, "data", "synthetic", "truth", "ground-truth.json")));
        var agg = truth.RootElement.GetProperty("aggregates");
        var era = run.Rows("Veterans by service era");
        foreach (var p in agg.GetProperty("veterans").GetProperty("rows_by_service_era").EnumerateObject())
            Assert.Equal(p.Value.GetDouble(), era[p.Name]![0]);
        Assert.Equal(8000, run.Rows("Veterans by state")["(all)"]![0]);
        var benefit = run.Rows("Monthly benefit by disability band");
        foreach (var p in agg.GetProperty("veterans").GetProperty("mean_monthly_benefit_by_disability_band").EnumerateObject())
            Assert.InRange(benefit[p.Name]![1]!.Value, p.Value.GetDouble() - 0.01, p.Value.GetDouble() + 0.01);
        var salaries = Col<long?>(Files.Value.Survey, "salary").OfType<long>().Select(x => (double)x).Order().ToArray();
        Assert.InRange(run.Cell("Salary quantiles of all graduates", "median(salary)")!.Value, Type7(salaries, 0.5) - 1, Type7(salaries, 0.5) + 1);
        Assert.InRange(run.Cell("Salary quantiles of all graduates", "quantile(salary, 0.9)")!.Value, Type7(salaries, 0.9) - 1, Type7(salaries, 0.9) + 1);
    }

    [Fact]
    public void The_linkage_finds_the_same_pairs_as_its_plaintext_twin()
    {
        var linkages = run.Packet!.RootElement.GetProperty("linkages").EnumerateArray().ToArray();
        // Join sizes are released under the inputs' terms: rounded to the bank's 5 and the survey's 10 (the twin's count is exact).
        Assert.Equal(5, linkages[0].GetProperty("roundingBase").GetInt32());
        Assert.Equal(10, linkages[1].GetProperty("roundingBase").GetInt32());
        Assert.Equal((VetsBank.Value.Count + 2) / 5 * 5, linkages[0].GetProperty("joinedRows").GetInt64());
        Assert.Equal((VetsSurvey.Value.Count + 5) / 10 * 10, linkages[1].GetProperty("joinedRows").GetInt64());
        Assert.All(linkages, l => Assert.All(l.GetProperty("matchCounts").EnumerateArray(), c => Assert.True(
            c.GetProperty("count").ValueKind == System.Text.Json.JsonValueKind.Null || c.GetProperty("count").GetInt64() % l.GetProperty("roundingBase").GetInt32() == 0)));
        Assert.All(linkages, l => Assert.Contains(l.GetProperty("revealedToComputeParties").EnumerateArray(),
            r => r.GetProperty("purpose").GetString()!.Contains("shuffled pseudonyms")));
    }

    [Fact]
    public void Linked_counts_and_means_equal_the_plaintext_twin_after_rounding_and_within_the_error_bound()
    {
        var (vets, bank, _) = Files.Value;
        var band = Col<string?>(vets, "disability_band");
        var balance = Col<double?>(bank, "balance");
        var rows = run.Rows("Linked veterans and their mean balance by disability band");
        foreach (var key in new[] { "none", "0-20", "30-60", "70-100", "(all)" })
        {
            var pairs = VetsBank.Value.Where(p => key == "(all)" || band[p.Base] == key).ToArray();
            var released = rows[key]!;
            Assert.Equal(0, released[0]!.Value % 5);                                     // bank terms: counts rounded to 5
            Assert.InRange(released[0]!.Value, pairs.Length - 2.5, pairs.Length + 2.5);
            double mean = pairs.Average(p => balance[p.Other]!.Value);
            Assert.InRange(released[1]!.Value, mean - 0.01, mean + 0.01);
        }
        var deposits = Col<double?>(bank, "monthly_deposits");
        double meanDeposits = VetsBank.Value.Average(p => deposits[p.Other]!.Value);
        Assert.InRange(run.Cell("Mean monthly deposits of all linked veterans", "mean(monthly_deposits)")!.Value, meanDeposits - 0.01, meanDeposits + 0.01);

        var era = Col<string?>(vets, "service_era");
        var delinquent = Col<bool?>(bank, "delinquent");
        foreach (var (key, value) in run.Rows("Delinquency rate by service era"))
        {
            var pairs = VetsBank.Value.Where(p => key == "(all)" || era[p.Base] == key).ToArray();
            if (value is null) continue;                                                   // suppressed: checked below
            // The bank rounds counts to 5, so a rate of a yes/no column is the rounded count of ones over the rounded count
            // (an exact rate would give the unrounded count back).
            static double Round5(int x) => Math.Floor((x + 2) / 5.0) * 5;
            double rate = Round5(pairs.Count(p => delinquent[p.Other]!.Value)) / Round5(pairs.Length);
            Assert.InRange(value[1]!.Value, rate - 1e-9, rate + 1e-9);
        }
        Assert.Contains(run.Rows("Delinquency rate by service era").Values, v => v is null);   // dominance / complementary suppression happened
    }

    [Fact]
    public void The_cross_tab_releases_only_cells_the_bank_allows_and_rounds_them()
    {
        var (vets, _, _) = Files.Value;
        var era = Col<string?>(vets, "service_era");
        var band = Col<string?>(vets, "disability_band");
        var rows = run.Rows("Service era × disability band (with margins)");
        Assert.Equal(30, rows.Count);
        foreach (var (key, value) in rows)
        {
            var k = key.Split('|');
            int n = VetsBank.Value.Count(p => (k[0] == "(all)" || era[p.Base] == k[0]) && (k[1] == "(all)" || band[p.Base] == k[1]));
            if (value is null) continue;
            Assert.True(n >= 20, $"cell {key} ({n} people) was released under the bank's minimum of 20");
            Assert.InRange(value[0]!.Value, n - 2.5, n + 2.5);
        }
        var small = rows.Where(r => !r.Key.Contains("(all)")).Where(r =>
        {
            var k = r.Key.Split('|');
            int n = VetsBank.Value.Count(p => era[p.Base] == k[0] && band[p.Base] == k[1]);
            return n is > 0 and < 20;
        }).ToArray();
        Assert.NotEmpty(small);
        Assert.All(small, r => Assert.Null(r.Value));
        // The heatmap's figure carries no value for a suppressed cell.
        var id = run.Release("Service era × disability band (with margins)").GetProperty("id").GetString();
        using var fig = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Output, "figures", id + ".json")));
        var z = fig.RootElement.GetProperty("data")[0].GetProperty("z").EnumerateArray().SelectMany(r => r.EnumerateArray()).ToArray();
        Assert.Equal(rows.Where(r => !r.Key.Contains("(all)")).Count(r => r.Value is null), z.Count(v => v.ValueKind == JsonValueKind.Null));
    }

    [Fact]
    public void The_regression_and_quantiles_of_linked_data_equal_the_plaintext_twin()
    {
        var (vets, bank, survey) = Files.Value;
        var benefit = Col<double?>(vets, "monthly_benefit");
        var age = Col<long?>(vets, "age");
        var balance = Col<double?>(bank, "balance");
        var x = VetsBank.Value.Select(p => new[] { 1, benefit[p.Base]!.Value, (double)age[p.Base]!.Value }).ToArray();
        var y = VetsBank.Value.Select(p => balance[p.Other]!.Value).ToArray();
        var (beta, se) = Ols(x, y);
        var fit = run.Rows("Balance on monthly benefit and age (OLS)");
        string[] terms = ["(intercept)", "monthly_benefit", "age"];
        for (int j = 0; j < 3; j++)
        {
            Assert.InRange(fit[terms[j]]![0]!.Value, beta[j] - 0.01 * se[j], beta[j] + 0.01 * se[j]);
            Assert.InRange(fit[terms[j]]![1]!.Value, se[j] * 0.99, se[j] * 1.01);
        }

        var salary = Col<long?>(survey, "salary");
        var linked = VetsSurvey.Value.Select(p => salary[p.Other]).OfType<long>().Select(v => (double)v).Order().ToArray();
        Assert.InRange(run.Cell("Salary quantiles of linked veterans", "median(salary)")!.Value, Type7(linked, 0.5) - 1, Type7(linked, 0.5) + 1);
        Assert.InRange(run.Cell("Salary quantiles of linked veterans", "quantile(salary, 0.25)")!.Value, Type7(linked, 0.25) - 1, Type7(linked, 0.25) + 1);

        var sector = Col<string?>(survey, "employment_sector");
        foreach (var (key, value) in run.Rows("Linked veterans by employment sector"))
        {
            int n = VetsSurvey.Value.Count(p => key == "(all)" || sector[p.Other] == key);
            Assert.InRange(value![0]!.Value, n - 5, n + 5);                                // survey terms: counts rounded to 10
        }
    }

    [Fact]
    public void Refused_queries_are_reported_with_their_rule_and_released_nothing()
    {
        var median = run.Release("Median balance by disability band");
        Assert.Equal("refused", median.GetProperty("outcome").GetString());
        Assert.Equal("AllowedOperations", median.GetProperty("refusedBy").GetString());
        foreach (var r in run.Packet!.RootElement.GetProperty("releases").EnumerateArray().Where(r => r.GetProperty("outcome").GetString() == "refused"))
            Assert.Empty(r.GetProperty("revealedToAnalyst").EnumerateArray());
        var html = File.ReadAllText(Path.Combine(run.Output, ReportWriter.ReportHtml));
        Assert.Contains("<b>Refused</b> (AllowedOperations)", html);
    }

    [Fact]
    public void No_output_file_contains_the_value_of_a_suppressed_cell()
    {
        var (vets, bank, _) = Files.Value;
        var era = Col<string?>(vets, "service_era");
        var delinquent = Col<bool?>(bank, "delinquent");
        var suppressed = run.Rows("Delinquency rate by service era").Where(r => r.Value is null).Select(r => r.Key).ToArray();
        Assert.NotEmpty(suppressed);
        var texts = Directory.GetFiles(run.Output, "*", SearchOption.AllDirectories).Select(File.ReadAllText).ToArray();
        foreach (var key in suppressed)
        {
            double rate = VetsBank.Value.Where(p => era[p.Base] == key).Average(p => delinquent[p.Other]!.Value ? 1.0 : 0.0);
            foreach (var form in new[] { Html.Number(rate), rate.ToString("R", CultureInfo.InvariantCulture), rate.ToString("G6", CultureInfo.InvariantCulture), rate.ToString("F4", CultureInfo.InvariantCulture) })
                Assert.All(texts, t => Assert.DoesNotContain(form, t));
        }
    }

    [Fact]
    public async Task The_reports_charts_are_drawn_in_headless_chromium()
    {
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), $"Chromium is needed for this test ({chromium}); scripts/install-deps.sh installs Debian's package.");
        var info = new ProcessStartInfo("python3", [Path.Combine(Repo.Root, "scripts", "check-charts.py"), Path.Combine(run.Output, ReportWriter.ReportHtml), "10"])
        { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var check = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var stdout = check.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = check.StandardError.ReadToEndAsync(timeout.Token);
        await check.WaitForExitAsync(timeout.Token);
        Assert.True(check.ExitCode == 0, $"charts not drawn:\n{await stdout}\n{await stderr}");
        var drawn = await stdout;
        Assert.Contains("(heatmap)", drawn);
        Assert.Contains("(box)", drawn);
        Assert.Contains("(regression)", drawn);
    }

    /// <summary>
    /// Round budgets (issue 14): on a wide-area link every round waits one one-way delay, so each release of the main job
    /// must take at most 150 rounds and the whole job, linkages included, at most 1,500 (it took 1,228 when this test was
    /// written; 8,035 before digit-wise division). Not met yet, with today's figure as its ceiling: the OLS fit (261:
    /// two sequential pivot reciprocals, the products of three pivots and the standard errors after them; one more since the
    /// embedded default runs at party services, which open a release among themselves before sending it). The quantile releases' selection and sort
    /// open comparisons of shuffled keys, so their rounds vary from run to run (100 and 118 in the run that set these
    /// figures; a level more is 9 or 18 rounds).
    /// </summary>
    [Fact]
    public void Every_release_of_the_main_job_stays_within_its_round_budget()
    {
        const int Budget = 150, OlsCeiling = 261, JobBudget = 1_500;
        Assert.NotNull(run.Packet);
        var over = new List<string>();
        int measured = 0;
        foreach (var release in run.Packet.RootElement.GetProperty("releases").EnumerateArray())
        {
            var title = release.GetProperty("title").GetString()!;
            long rounds = release.GetProperty("cost").GetProperty("rounds").GetInt64();
            if (rounds > 0) measured++;
            int limit = title == "Balance on monthly benefit and age (OLS)" ? OlsCeiling : Budget;
            if (rounds > limit) over.Add($"{title}: {rounds} rounds, budget {limit}");
        }
        Assert.True(over.Count == 0, string.Join("\n", over));
        Assert.True(measured >= 12, $"only {measured} releases report their rounds");
        Assert.InRange(run.Packet.RootElement.GetProperty("totals").GetProperty("rounds").GetInt64(), 1, JobBudget);
    }

    static double Type7(double[] sorted, double p)
    {
        double h = (sorted.Length - 1) * p;
        int lo = (int)Math.Floor(h);
        return lo + 1 < sorted.Length ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
    }

    /// <summary>OLS by the normal equations (Gauss–Jordan on X'X), with classical standard errors.</summary>
    static (double[] Beta, double[] Se) Ols(double[][] x, double[] y)
    {
        int k = x[0].Length, n = y.Length;
        var a = new double[k, 2 * k];
        var xty = new double[k];
        for (int i = 0; i < n; i++)
            for (int r = 0; r < k; r++)
            {
                xty[r] += x[i][r] * y[i];
                for (int c = 0; c < k; c++) a[r, c] += x[i][r] * x[i][c];
            }
        for (int r = 0; r < k; r++) a[r, k + r] = 1;
        for (int c = 0; c < k; c++)
        {
            double pivot = a[c, c];
            for (int j = 0; j < 2 * k; j++) a[c, j] /= pivot;
            for (int r = 0; r < k; r++)
            {
                if (r == c) continue;
                double f = a[r, c];
                for (int j = 0; j < 2 * k; j++) a[r, j] -= f * a[c, j];
            }
        }
        var beta = Enumerable.Range(0, k).Select(r => Enumerable.Range(0, k).Sum(c => a[r, k + c] * xty[c])).ToArray();
        double rss = Enumerable.Range(0, n).Sum(i => Math.Pow(y[i] - Enumerable.Range(0, k).Sum(j => beta[j] * x[i][j]), 2));
        double s2 = rss / (n - k);
        return (beta, Enumerable.Range(0, k).Select(j => Math.Sqrt(s2 * a[j, k + j])).ToArray());
    }
}
