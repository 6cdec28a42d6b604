using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Smpc.EndToEnd.Tests;

/// <summary>
/// environment.md's "bring your own data" walk-through, run exactly as written: the shell blocks between
/// <c>&lt;!-- walkthrough:begin --&gt;</c> and <c>&lt;!-- walkthrough:end --&gt;</c> go to bash from the repository root
/// (schema inference, certificates, three `smpc party serve`, two `smpc contribute`, two `smpc analyze`). What the
/// analyst prints is checked against a plaintext linkage and aggregation of the same two files computed here.
/// </summary>
[Collection("processes")]
public sealed partial class WalkthroughTests
{
    const int MinCellSize = 10;   // data/examples/*.terms.json

    [Fact]
    public void The_bring_your_own_data_walkthrough_runs_as_written_and_its_answers_are_the_plaintext_ones()
    {
        string root = Root();
        string script = Script(File.ReadAllText(Path.Combine(root, "environment.md")));
        var (code, stdout, stderr) = Bash(root, script, TimeSpan.FromMinutes(6));
        string? work = WorkFolder().Match(stdout) is { Success: true } m ? m.Groups[1].Value.Trim() : null;
        try
        {
            Assert.True(code == 0, $"the walk-through exited with {code}.\nstdout:\n{stdout}\nstderr:\n{stderr}");
            var reference = Linked(root);

            // Mean BMI by district: released cells equal the plaintext ones; small cells suppressed by the rule.
            var byDistrict = Csv(stdout, "district,count,mean(bmi),status,rule");
            var groups = reference.GroupBy(p => p.District).ToDictionary(g => g.Key, g => g.ToList());
            Assert.Equal(groups.Keys.Order(StringComparer.Ordinal).Append("(all)"), byDistrict.Select(r => r[0]));
            foreach (var row in byDistrict)
            {
                var cell = row[0] == "(all)" ? reference : groups[row[0]];
                if (row[3] == "released")
                {
                    Assert.True(cell.Count >= MinCellSize, $"{row[0]}: released with {cell.Count} rows");
                    Assert.Equal(cell.Count, int.Parse(row[1], CultureInfo.InvariantCulture));
                    // bmi has 5 fraction bits (schema infer: one decimal seen): each value is encoded to within 2^-6,
                    // so the mean is within 2^-6 of the plaintext mean, plus the division's 2^-16.
                    double mean = double.Parse(row[2], CultureInfo.InvariantCulture);
                    Assert.InRange(Math.Abs(mean - cell.Average(p => p.Bmi)), 0, Math.Pow(2, -6) + Math.Pow(2, -16));
                }
                else
                {
                    Assert.Equal("suppressed", row[3]);
                    Assert.Equal("", row[1]);
                    Assert.Equal("", row[2]);
                    if (cell.Count < MinCellSize) Assert.Contains("cell size", row[4]);
                }
            }
            Assert.Contains(byDistrict, r => r[0] == "Lantern Quay" && r[3] == "suppressed" && groups["Lantern Quay"].Count < MinCellSize);
            Assert.Equal(2, byDistrict.Count(r => r[3] == "suppressed"));   // the small cell and its complement

            // Median rent of linked tenants: type 7 at h = (n − 1)/2; rent has 8 fraction bits (values within 2^-9).
            var median = Csv(stdout, "median(monthly_rent),status,rule").Single();
            var rents = reference.Select(p => p.Rent).Order().ToArray();
            double h = (rents.Length - 1) * 0.5, expected = rents[(int)h] + (h - Math.Floor(h)) * (rents[Math.Min((int)h + 1, rents.Length - 1)] - rents[(int)h]);
            Assert.Equal("released", median[1]);
            Assert.InRange(Math.Abs(double.Parse(median[0], CultureInfo.InvariantCulture) - expected), 0, Math.Pow(2, -9) + Math.Pow(2, -16));

            // The parties' logs hold no identifier and no value of either file.
            var logs = string.Concat(Enumerable.Range(0, 3).Select(i => File.ReadAllText(Path.Combine(work!, $"party-{i}.log"))));
            Assert.Contains("tenants", logs);
            foreach (var p in reference.Take(50))
            {
                Assert.DoesNotContain(p.Ssn.Length > 0 ? p.Ssn : "no-ssn", logs);
                Assert.DoesNotContain(p.Family, logs, StringComparison.OrdinalIgnoreCase);
            }
        }
        finally
        {
            if (work is not null && work.StartsWith("/tmp/byod.", StringComparison.Ordinal) && Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>A linked person: the tenant's district and rent, the patient's BMI.</summary>
    sealed record Pair(string Ssn, string Family, string District, double Rent, double Bmi);

    /// <summary>The plaintext linkage of the two example files: SSN (digits) first, then upper-cased given name, family
    /// name and date of birth for the rows the SSN pass left unlinked — the walk-through's passes ssn,demographic.</summary>
    static List<Pair> Linked(string root)
    {
        var tenants = Rows(Path.Combine(root, "data/examples/tenants.csv"));    // tenancy_ref,national_no,given,family,birth_date,district,rooms,monthly_rent
        var patients = Rows(Path.Combine(root, "data/examples/clinic.csv"));    // patient_ref,ssn,first_name,last_name,dob,visits,bmi
        static string Digits(string s) => new(s.Where(char.IsAsciiDigit).ToArray());
        var bySsn = patients.Where(p => p[1].Length > 0).ToDictionary(p => p[1]);
        var byName = patients.ToDictionary(p => (p[2].ToUpperInvariant(), p[3].ToUpperInvariant(), DateOnly.ParseExact(p[4], "dd/MM/yyyy", CultureInfo.InvariantCulture)));
        var used = new HashSet<string[]>(ReferenceEqualityComparer.Instance);
        var pairs = new List<Pair>();
        var unlinked = new List<string[]>();
        foreach (var t in tenants)
            if (t[1].Length > 0 && bySsn.TryGetValue(Digits(t[1]), out var p) && used.Add(p)) pairs.Add(Pair(t, p));
            else unlinked.Add(t);
        foreach (var t in unlinked)
            if (byName.TryGetValue((t[2].ToUpperInvariant(), t[3].ToUpperInvariant(), DateOnly.ParseExact(t[4], "yyyy-MM-dd", CultureInfo.InvariantCulture)), out var p) && used.Add(p))
                pairs.Add(Pair(t, p));
        return pairs;

        static Pair Pair(string[] t, string[] p) =>
            new(Digits(t[1]), t[3], t[5], double.Parse(t[7], CultureInfo.InvariantCulture), double.Parse(p[6], CultureInfo.InvariantCulture));
    }

    static List<string[]> Rows(string path) => File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToList();

    /// <summary>The rows under <paramref name="header"/> in the walk-through's output, split on commas (no field of
    /// these tables holds a comma), up to the first line that is not a row of that table.</summary>
    static List<string[]> Csv(string stdout, string header)
    {
        var lines = stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        int at = lines.IndexOf(header);
        Assert.True(at >= 0, $"no table '{header}' in the output:\n{stdout}");
        int width = header.Split(',').Length;
        return lines.Skip(at + 1).TakeWhile(l => l.Split(',').Length == width).Select(l => l.Split(',')).ToList();
    }

    /// <summary>The shell blocks between the walk-through markers, in order.</summary>
    internal static string Script(string markdown)
    {
        int begin = markdown.IndexOf("<!-- walkthrough:begin -->", StringComparison.Ordinal), end = markdown.IndexOf("<!-- walkthrough:end -->", StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "environment.md has no walkthrough:begin … walkthrough:end section");
        var blocks = ShellBlock().Matches(markdown[begin..end]).Select(m => m.Groups[1].Value).ToList();
        Assert.True(blocks.Count >= 2, "the walk-through has fewer shell blocks than expected");
        return "set -euo pipefail\n" + string.Join("\n", blocks);
    }

    static (int Code, string Stdout, string Stderr) Bash(string root, string script, TimeSpan timeout)
    {
        var info = new ProcessStartInfo("bash") { WorkingDirectory = root, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info)!;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Write(script);
        process.StandardInput.Close();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"the walk-through ran past {timeout.TotalMinutes} minutes.\nstdout:\n{stdout}\nstderr:\n{stderr}");
        }
        process.WaitForExit();
        lock (stdout) lock (stderr) return (process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    static string Root()
    {
        CliProcess.FindCli();   // the walk-through runs the smpc.dll the build left in src/Smpc.Cli/bin/Release
        return CliProcess.RepositoryRoot();
    }

    [GeneratedRegex(@"```bash\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();

    [GeneratedRegex(@"^work folder: (.*)$", RegexOptions.Multiline)]
    private static partial Regex WorkFolder();
}
