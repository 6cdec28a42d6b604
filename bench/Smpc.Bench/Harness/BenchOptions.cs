namespace Smpc.Bench.Harness;

/// <summary>Command-line options of the bench runner.</summary>
public sealed record BenchOptions
{
    public bool Quick { get; init; }
    public bool List { get; init; }
    public bool Help { get; init; }
    public bool Markdown { get; init; }

    /// <summary>One child process per measurement (default), so peak memory and heap state are per case.</summary>
    public bool Isolate { get; init; } = true;

    /// <summary>Set in the child: measure in this process and print the result for the parent.</summary>
    public bool Child { get; init; }
    public IReadOnlyList<string> Filters { get; init; } = [];
    public IReadOnlyList<int>? Rows { get; init; }
    public int? Runs { get; init; }
    public int? Warmups { get; init; }
    public string? JsonPath { get; init; }

    /// <summary>Times the whole list of cases this many times, interleaved, and reports the median per case.</summary>
    public int Repeat { get; init; } = 1;

    /// <summary>Folder of before-N.json / after-N.json files to summarise instead of running (see bench/compare-engines.sh).</summary>
    public string? SummarizeDirectory { get; init; }
    public string? ExplainAccuracy { get; init; }

    /// <summary>Cap on each child's managed heap in percent of physical memory (0 = none).</summary>
    public int HeapLimitPercent { get; init; } = 60;

    /// <summary>Environment settings under which every case is timed again, right after the plain run.</summary>
    public IReadOnlyList<Isolation.EnvironmentVariant> EnvVariants { get; init; } = [];

    public const string Usage = """
        usage: Smpc.Bench [--quick] [--filter PATTERN[,PATTERN]] [--rows N[,N]] [--runs N] [--warmup N] [--repeat N]
                          [--list] [--markdown] [--json FILE] [--no-isolate]
                          [--env-variant LABEL:NAME=VALUE] [--heap-limit PERCENT]
               Smpc.Bench --summarize DIR
          --quick     each case once at its quick row count, 3 timed runs; prints
                      '<name> <rows> <seconds> <bytes-per-party> <rounds>' per case (details on stderr)
          --filter    case names, '*' as wildcard (mul-*, *-inproc); default every case except
                      comparison variants (earlier implementations), which run only when named
          --rows      row counts to run instead of each case's own
          --runs      timed runs per measurement (median reported); default 3 quick, 5 full
          --warmup    untimed runs first, the first checked against plaintext; default and minimum 1
          --repeat    go through the whole list N times, interleaved (A B A B ...), and report per case
                      the median of the N medians; for same-run ratios on a shared machine
          --list      print the cases and exit
          --markdown  also print a Markdown table of the results
          --json      write the results to FILE
          --profile   lan|wan20|wan60|RTT/Mbit[,…]: time every case again over three TLS parties on loopback with an
                      emulated link of that latency and rate on every connection, reported as <case>@PROFILE
          --env-variant  time every case again in a child with NAME=VALUE set, reported as <case>@LABEL
                      (e.g. retainvm:DOTNET_GCRetainVM=1), right after the plain run
          --heap-limit  cap each child's managed heap at PERCENT of physical memory (default 60, 0 = none): the
                      machine is shared, so a case too big for it fails with an out-of-memory error instead
          --explain-accuracy lan,wan20,…  explanations (--explain) against their runs at each link profile (see ExplainAccuracy.cs)
          --summarize  print a Markdown comparison of DIR/before-N.json and DIR/after-N.json (written by
                      bench/compare-engines.sh) and exit
          --no-isolate  measure in this process (default: a fresh child process per case and row count,
                      so peak memory is the case's own)
        """;

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"Option {args[i]} needs a value.");
            o = args[i] switch
            {
                "--quick" => o with { Quick = true },
                "--list" => o with { List = true },
                "--markdown" => o with { Markdown = true },
                "--no-isolate" => o with { Isolate = false },
                Isolation.ChildFlag => o with { Child = true, Isolate = false },
                "-h" or "--help" => o with { Help = true },
                "--filter" or "-f" => o with { Filters = [.. o.Filters, .. Next().Split(',', StringSplitOptions.RemoveEmptyEntries)] },
                "--rows" => o with { Rows = Next().Split(',').Select(v => PositiveInt(v.Replace("_", ""), "--rows")).ToArray() },
                "--runs" => o with { Runs = PositiveInt(Next(), "--runs") },
                "--warmup" => o with { Warmups = PositiveInt(Next(), "--warmup") },
                "--json" => o with { JsonPath = Next() },
                "--env-variant" => o with { EnvVariants = [.. o.EnvVariants, Isolation.EnvironmentVariant.Parse(Next())] },
                "--profile" => o with { EnvVariants = [.. o.EnvVariants, .. Next().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Profile)] },
                "--summarize" => o with { SummarizeDirectory = Next() },
                "--explain-accuracy" => o with { ExplainAccuracy = Next() },
                "--heap-limit" => o with { HeapLimitPercent = NonNegativeInt(Next(), "--heap-limit") },
                "--repeat" => o with { Repeat = PositiveInt(Next(), "--repeat") },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }
        return o;
    }

    /// <summary>A link profile as a variant: the child reads it from <see cref="BenchLinks.Variable"/>.</summary>
    static Isolation.EnvironmentVariant Profile(string name) =>
        new(Smpc.Analytics.Transport.LinkProfile.Parse(name).Name, BenchLinks.Variable, name);

    static int PositiveInt(string v, string option) =>
        int.TryParse(v, out int n) && n > 0 ? n : throw new ArgumentException($"{option} needs a positive whole number; got '{v}'.");

    static int NonNegativeInt(string v, string option) =>
        int.TryParse(v, out int n) && n >= 0 ? n : throw new ArgumentException($"{option} needs a whole number ≥ 0; got '{v}'.");
}
