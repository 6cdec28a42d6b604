using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;

namespace Smpc.Analytics.Interactive.Magics;

/// <summary>Arguments of <c>#!secure-report</c>.</summary>
public sealed class SecureReportCommand : KernelDirectiveCommand
{
    public string? Out { get; set; }
    public string? Title { get; set; }
    public string? Question { get; set; }
    public string? Command { get; set; }
    public string? Study { get; set; }
    public string? Name { get; set; }
    public bool Help { get; set; }

    public override IEnumerable<string> GetValidationErrors(CompositeKernel kernel)
    {
        if (Help) yield break;
        if (string.IsNullOrWhiteSpace(Out)) yield return "--out needs the folder to write the report into (e.g. --out report): report.html, disclosure-review.json/.md, figures/ and SHA256SUMS.";
        else if (File.Exists(Out)) yield return $"--out '{Out}' is a file, not a folder.";
        if (Name is not null && !Names.IsIdentifier(Name)) yield return $"--name '{Name}' is not a valid C# variable name.";
    }
}
