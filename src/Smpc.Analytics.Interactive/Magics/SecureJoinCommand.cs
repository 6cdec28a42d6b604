using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Studies;

namespace Smpc.Analytics.Interactive.Magics;

/// <summary>Arguments of <c>#!secure-join</c>.</summary>
public sealed class SecureJoinCommand : KernelDirectiveCommand
{
    public string? Datasets { get; set; }
    public string? Passes { get; set; }
    public string? Threshold { get; set; }
    public string? Kind { get; set; }
    public string? Pseudonymiser { get; set; }
    public string? Duplicates { get; set; }
    public string? Study { get; set; }
    public string? Name { get; set; }
    public bool Help { get; set; }
    public bool Explain { get; set; }

    public static readonly IReadOnlyList<string> Kinds = ["inner", "left"];
    public static readonly IReadOnlyList<string> DuplicatePolicies = ["keep-first", "reject"];

    public override IEnumerable<string> GetValidationErrors(CompositeKernel kernel)
    {
        if (Help) yield break;
        var datasets = Names.List(Datasets);
        if (datasets.Length < 2) yield return "--datasets needs at least two datasets, comma-separated, base first (e.g. --datasets veterans,bank).";
        if (Kind is not null && !Kinds.Contains(Kind.ToLowerInvariant())) yield return $"--kind '{Kind}' is not inner or left.";
        if (Duplicates is not null && !DuplicatePolicies.Contains(Duplicates.ToLowerInvariant())) yield return $"--duplicates '{Duplicates}' is not keep-first or reject.";
        if (Threshold is not null && !(double.TryParse(Threshold, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var t) && t > 0 && t <= 1))
            yield return $"--threshold '{Threshold}' is not a Dice coefficient above 0 and at most 1 (e.g. 0.85).";
        if (Name is not null && !Names.IsIdentifier(Name)) yield return $"--name '{Name}' is not a valid C# variable name.";
    }

    /// <summary>The join these arguments ask for (names parsed; unknown values fail with the accepted ones).</summary>
    public JoinRequest ToRequest() => new()
    {
        Datasets = Names.List(Datasets),
        Passes = Passes is null ? [LinkageKeyKind.Ssn, LinkageKeyKind.Demographic] : Names.List(Passes).Select(LinkageKeyKinds.Parse).ToArray(),
        FuzzyThreshold = Threshold is null ? null : double.Parse(Threshold, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture),
        Kind = Kind?.ToLowerInvariant() == "left" ? JoinKind.Left : JoinKind.Inner,
        Pseudonymiser = Pseudonymiser is null ? PseudonymiserKind.KeyedHash : PseudonymiserKinds.Parse(Pseudonymiser),
        Duplicates = Duplicates?.ToLowerInvariant() == "reject" ? DuplicatePolicy.Reject : DuplicatePolicy.KeepFirst,
        Name = Name,
    };
}
