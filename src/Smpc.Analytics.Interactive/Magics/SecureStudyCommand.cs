using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;

namespace Smpc.Analytics.Interactive.Magics;

/// <summary>Arguments of <c>#!secure-study</c>.</summary>
public sealed class SecureStudyCommand : KernelDirectiveCommand
{
    public string? Open { get; set; }
    public string? Config { get; set; }
    public string? Data { get; set; }
    public string? Name { get; set; }
    public bool Help { get; set; }
    public string? Rows { get; set; }
    public string? Seed { get; set; }

    /// <summary>--rows as a number (default 2000).</summary>
    public int RowCount => Names.Integer(Rows, "--rows") ?? 2000;

    /// <summary>--seed as a number (default 2026).</summary>
    public int SeedValue => Names.Integer(Seed, "--seed") ?? 2026;

    public static readonly IReadOnlyList<string> Studies = ["demo", "synthetic"];

    public override IEnumerable<string> GetValidationErrors(CompositeKernel kernel)
    {
        if (Help) yield break;
        if (Open is null && Config is null) yield return "#!secure-study needs --open demo|synthetic (three parties in this process) and/or --config <study.json> (three party processes).";
        if (Open is not null && !Studies.Contains(Open.ToLowerInvariant())) yield return $"Unknown study '{Open}'. Use --open demo (generated veterans and bank customers) or --open synthetic (the agencies of data/synthetic).";
        if (Data is not null && Open?.ToLowerInvariant() != "synthetic") yield return "--data only applies to --open synthetic.";
        if (Rows is not null && (!int.TryParse(Rows, out int rows) || rows is < 1 or > 1_000_000))
            yield return $"--rows must be a whole number between 1 and 1,000,000; got '{Rows}'.";
        if (Seed is not null && !int.TryParse(Seed, out _)) yield return $"--seed must be a whole number; got '{Seed}'.";
        if (Name is not null && !Names.IsIdentifier(Name)) yield return $"--name '{Name}' is not a valid C# variable name.";
    }
}
