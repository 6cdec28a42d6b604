using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;

namespace Smpc.Analytics.Interactive.Magics;

/// <summary>Arguments of <c>#!secure-study</c>.</summary>
public sealed class SecureStudyCommand : KernelDirectiveCommand
{
    public string? Open { get; set; }
    public string? Config { get; set; }
    public string? Name { get; set; }
    public int? Rows { get; set; }
    public int? Seed { get; set; }

    public override IEnumerable<string> GetValidationErrors(CompositeKernel kernel)
    {
        if (Open is null && Config is null) yield return "#!secure-study needs --open demo (the embedded study) or --config <study.json> (remote parties).";
        if (Open is not null && Config is not null) yield return "#!secure-study takes either --open or --config, not both.";
        if (Rows is < 1 or > 1_000_000) yield return $"--rows must be between 1 and 1,000,000; got {Rows}.";
        if (Name is not null && !Names.IsIdentifier(Name)) yield return $"--name '{Name}' is not a valid C# variable name.";
    }
}
