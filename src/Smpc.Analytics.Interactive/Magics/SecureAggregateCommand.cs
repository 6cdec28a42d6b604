using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;

namespace Smpc.Analytics.Interactive.Magics;

/// <summary>Arguments of <c>#!secure-aggregate</c>.</summary>
public sealed class SecureAggregateCommand : KernelDirectiveCommand
{
    public string? Study { get; set; }
    public string? Dataset { get; set; }
    public string? Stat { get; set; }
    public string? Column { get; set; }
    public string? GroupBy { get; set; }
    public string? Bins { get; set; }
    public string? Predictor { get; set; }
    public string? Chart { get; set; }
    public string? Name { get; set; }
    public bool Help { get; set; }

    public override IEnumerable<string> GetValidationErrors(CompositeKernel kernel)
    {
        if (Help) yield break;
        if (string.IsNullOrWhiteSpace(Dataset)) yield return "--dataset is required (a dataset of the study, e.g. veterans).";
        if (Name is not null && !Names.IsIdentifier(Name)) yield return $"--name '{Name}' is not a valid C# variable name.";
    }
}
