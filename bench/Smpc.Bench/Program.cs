// Smpc.Bench: times the engine's protocols on three parties and prints, per case and row count,
// seconds (median of the timed runs after a warm-up), rows/s, bytes sent per party, rounds, managed
// allocation and peak resident memory. See bench/RESULTS.md for recorded figures and their commands.
//
//   dotnet run -c Release --project bench/Smpc.Bench -- --quick        one line per case (under two minutes)
//   dotnet run -c Release --project bench/Smpc.Bench                   full run: 1M and 10M rows
//   options: --filter mul-*,dot-inproc  --rows 1000000  --runs 5  --warmup 1  --repeat 3  --list  --json out.json  --markdown
//            --no-isolate (run every case in this process instead of one child process per measurement)
using System.Globalization;
using System.Text.Json;
using Smpc.Bench.Harness;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

BenchOptions options;
try { options = BenchOptions.Parse(args); }
catch (ArgumentException e) { Console.Error.WriteLine(e.Message); Console.Error.WriteLine(BenchOptions.Usage); return 2; }
if (options.EnvVariants.Count > 0 && !options.Isolate) { Console.Error.WriteLine("--env-variant needs child processes; drop --no-isolate."); return 2; }
if (options.Help) { Console.WriteLine(BenchOptions.Usage); return 0; }
if (options.ExplainAccuracy is not null)
    return Smpc.Bench.ExplainAccuracy.Run(options.ExplainAccuracy.Split(','), options.Rows is [var n] ? n : 2000);
if (options.SummarizeDirectory is not null)
{
    try { Console.Write(EngineComparison.Summarize(options.SummarizeDirectory)); return 0; }
    catch (Exception e) when (e is ArgumentException or IOException or System.Text.Json.JsonException) { Console.Error.WriteLine(e.Message); return 2; }
}

var all = BenchRegistry.Discover();
IReadOnlyList<IBenchCase> cases;
try { cases = BenchRegistry.Select(all, options.Filters); }
catch (ArgumentException e) { Console.Error.WriteLine(e.Message); return 2; }

if (options.List)
{
    foreach (var c in cases) Console.WriteLine($"{c.Name,-28} quick {c.QuickRows,10:N0}  full {string.Join(", ", c.FullRows.Select(r => r.ToString("N0"))),-22} {c.Description}");
    return 0;
}

var log = Console.Error;
if (!options.Child) log.WriteLine(BenchEnvironment.Describe(options));
var plan = options.Quick ? new RunPlan(options.Warmups ?? 1, options.Runs ?? 3) : new RunPlan(options.Warmups ?? 1, options.Runs ?? 5);
var results = new List<BenchResult>();
var rounds = new List<BenchResult>();   // every repeat's result, for --repeat
int failures = 0;
int repeats = options.Child ? 1 : options.Repeat;
for (int repeat = 1; repeat <= repeats; repeat++)
{
    if (repeats > 1) log.WriteLine($"# repeat {repeat}/{repeats}");
    foreach (var c in cases)
    {
        var rowCounts = options.Rows ?? (options.Quick ? [c.QuickRows] : c.FullRows);
        var casePlan = c.Plan is { } own && options.Runs is null && options.Warmups is null ? own : plan;
        foreach (int rows in rowCounts)
        {
            try
            {
                BenchResult? r;
                if (options.Child) { r = BenchRunner.Measure(c, rows, casePlan, log); Isolation.Emit(r); continue; }
                r = options.Isolate ? Isolation.Measure(c.Name, rows, casePlan, heapLimitPercent: options.HeapLimitPercent) : BenchRunner.Measure(c, rows, casePlan, log);
                if (r is null) { failures++; log.WriteLine($"FAILED {c.Name} {rows}: the child process failed (see above)."); continue; }
                rounds.Add(r);
                if (repeats > 1) log.WriteLine(Report.Row(r));
                else Console.WriteLine(options.Quick ? r.QuickLine() : Report.Row(r));
                foreach (var v in options.EnvVariants)
                {
                    var rv = Isolation.Measure(c.Name, rows, casePlan, v, options.HeapLimitPercent);
                    if (rv is null) { failures++; log.WriteLine($"FAILED {c.Name}@{v.Label} {rows}: the child process failed (see above)."); continue; }
                    rounds.Add(rv);
                    if (repeats > 1) log.WriteLine(Report.Row(rv));
                    else Console.WriteLine(options.Quick ? rv.QuickLine() : Report.Row(rv));
                }
            }
            catch (BenchVerificationException e)
            {
                failures++;
                log.WriteLine($"FAILED {c.Name} {rows}: {e.Message}");
            }
        }
    }
}
results.AddRange(repeats > 1 ? BenchResult.MedianOfRepeats(rounds) : rounds);
if (repeats > 1)
    foreach (var r in results) Console.WriteLine(options.Quick ? r.QuickLine() : Report.Row(r));

if (options.Child) return failures == 0 ? 0 : 1;
if (options.Quick) log.WriteLine(Report.Table(results));
if (options.Markdown) Console.WriteLine(Report.Markdown(results));
if (results.Any(r => r.Name.Contains('@') && r.Name[(r.Name.IndexOf('@') + 1)..] is var p && Smpc.Analytics.Transport.LinkProfile.All.Any(x => x.Name == p)))
    log.WriteLine(Report.Profiles(results));
if (options.JsonPath is not null)
    File.WriteAllText(options.JsonPath, JsonSerializer.Serialize(new { environment = BenchEnvironment.Describe(options), results, repeats = rounds }, new JsonSerializerOptions { WriteIndented = true }));
return failures == 0 ? 0 : 1;
