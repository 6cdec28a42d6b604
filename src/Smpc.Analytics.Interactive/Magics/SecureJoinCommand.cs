using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;

namespace Smpc.Analytics.Interactive.Magics;

/// <summary>Arguments of <c>#!secure-join</c>.</summary>
public sealed class SecureJoinCommand : KernelDirectiveCommand
{
    public string? Study { get; set; }
    public string? Left { get; set; }
    public string? Right { get; set; }
    public string? On { get; set; }
    public string? Name { get; set; }
    public bool Help { get; set; }

    public override IEnumerable<string> GetValidationErrors(CompositeKernel kernel)
    {
        if (Help) yield break;
        if (string.IsNullOrWhiteSpace(Left)) yield return "--left (the first dataset) is required.";
        if (string.IsNullOrWhiteSpace(Right)) yield return "--right (the second dataset) is required.";
        if (string.IsNullOrWhiteSpace(On)) yield return "--on (the key column, e.g. ssn) is required.";
        if (Left is not null && Left == Right) yield return $"--left and --right are both '{Left}'; a join needs two datasets.";
        if (Name is not null && !Names.IsIdentifier(Name)) yield return $"--name '{Name}' is not a valid C# variable name.";
    }
}
