using System.Globalization;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Studies;

namespace Smpc.Analytics.Interactive.Magics;

/// <summary>Arguments of <c>#!secure-aggregate</c>.</summary>
public sealed class SecureAggregateCommand : KernelDirectiveCommand
{
    public string? Dataset { get; set; }
    public string? Stat { get; set; }
    public string? Column { get; set; }
    public string? GroupBy { get; set; }
    public string? Filter { get; set; }
    public string? Weight { get; set; }
    public string? WeightKind { get; set; }
    public string? Bins { get; set; }
    public string? Probabilities { get; set; }
    public string? Epsilon { get; set; }
    public bool RevealGroupSizes { get; set; }
    public string? Plot { get; set; }
    public string? Value { get; set; }
    public string? Study { get; set; }
    public string? Name { get; set; }
    public bool Help { get; set; }
    public bool Explain { get; set; }

    public override IEnumerable<string> GetValidationErrors(CompositeKernel kernel)
    {
        if (Help) yield break;
        if (string.IsNullOrWhiteSpace(Dataset)) yield return "--dataset is required (a dataset of the study, e.g. veterans).";
        if (Name is not null && !Names.IsIdentifier(Name)) yield return $"--name '{Name}' is not a valid C# variable name.";
    }

    /// <summary>The query these arguments ask for; malformed values fail naming the option.</summary>
    public AggregateRequest ToRequest() => new()
    {
        Dataset = Dataset!,
        Statistics = Stat is null ? [StatisticKind.Count] : Names.List(Stat).Select(StatisticKinds.Parse).ToArray(),
        Columns = Names.List(Column),
        GroupBy = Names.List(GroupBy),
        Filter = Filter,
        Weight = Weight,
        WeightKind = ParseWeightKind(),
        Bins = Numbers(Bins, "--bins", "edges such as 0,500,1000"),
        Probabilities = Numbers(Probabilities, "--probabilities", "probabilities such as 0.1,0.5,0.9"),
        Epsilon = Epsilon is null ? null : Numbers(Epsilon, "--epsilon", "a positive number such as 0.5") is [var e] ? e
            : throw new QueryException($"--epsilon: '{Epsilon}' is not one number."),
        RevealGroupSizesToComputeParties = RevealGroupSizes,
    };

    Statistics.WeightKind? ParseWeightKind()
    {
        if (WeightKind is null)
            return Weight is null ? null
                : throw new QueryException($"--weight {Weight} needs --weight-kind: {string.Join(", ", WeightKinds.All)} (what the weights mean decides standard errors and how counts read).");
        if (Weight is null) throw new QueryException("--weight-kind applies to a weighted query; give the weight column with --weight.");
        try { return WeightKinds.Parse(WeightKind); }
        catch (QueryException) { throw new QueryException($"--weight-kind: '{WeightKind}' is not one of {string.Join(", ", WeightKinds.All)}."); }
    }

    static double[] Numbers(string? text, string option, string expected) => Names.List(text).Select(s =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
            : throw new QueryException($"{option}: '{s}' is not a number (expected {expected}).")).ToArray();
}
