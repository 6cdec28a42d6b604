using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;

namespace Smpc.Analytics.Interactive.Magics;

/// <summary>Arguments of <c>#!secure-study</c>.</summary>
public sealed class SecureStudyCommand : KernelDirectiveCommand
{
    public string? Open { get; set; }
    public string? Config { get; set; }
    public string? Name { get; set; }
    public bool Help { get; set; }
    public string? Rows { get; set; }
    public string? Seed { get; set; }

    /// <summary>--rows as a number (default 2000).</summary>
    public int RowCount => Names.Integer(Rows, "--rows") ?? 2000;

    /// <summary>--seed as a number (default 2026).</summary>
    public int SeedValue => Names.Integer(Seed, "--seed") ?? 2026;

    public override IEnumerable<string> GetValidationErrors(CompositeKernel kernel)
    {
        if (Help) yield break;
        if (Open is null && Config is null) yield return "#!secure-study needs --open demo (the embedded study) or --config <study.json> (remote parties).";
        if (Open is not null && Config is not null) yield return "#!secure-study takes either --open or --config, not both.";
        if (Rows is not null && (!int.TryParse(Rows, out int rows) || rows is < 1 or > 1_000_000))
            yield return $"--rows must be a whole number between 1 and 1,000,000; got '{Rows}'.";
        if (Seed is not null && !int.TryParse(Seed, out _)) yield return $"--seed must be a whole number; got '{Seed}'.";
        if (Name is not null && !Names.IsIdentifier(Name)) yield return $"--name '{Name}' is not a valid C# variable name.";
    }
}
