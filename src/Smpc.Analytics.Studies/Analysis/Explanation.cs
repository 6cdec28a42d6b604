using System.Globalization;
using System.Text;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Session;
using Smpc.Analytics.Studies.Parties;

namespace Smpc.Analytics.Studies;

/// <summary>
/// What a join or a query would do, told before it runs (<see cref="SecureStudy.Explain(AggregateRequest)"/>,
/// <c>--explain</c>): whether the terms and rules let it run and, if not, the rule that refuses it; the rules that would
/// apply; what would be revealed to whom (the same lines a release lists); its rounds and bytes; and the time it is
/// expected to take on the links the parties measured when they started. Nothing is computed on the study's data,
/// nothing is revealed and no privacy budget is spent: the study code runs on an <see cref="EstimatingEngine"/> over
/// stand-in values of the datasets' public shape (column kinds and domains, released row counts).
/// </summary>
public sealed record Explanation
{
    /// <summary>The request in words.</summary>
    public required string Operation { get; init; }

    /// <summary>True when the request would be refused (then <see cref="Rule"/> and <see cref="Refusal"/> say why, and no cost is estimated).</summary>
    public bool Refused { get; init; }
    public string? Rule { get; init; }
    public string? Refusal { get; init; }

    /// <summary>The disclosure rules and terms that would apply.</summary>
    public IReadOnlyList<string> RulesApplied { get; init; } = [];

    /// <summary>What would be revealed, to whom and why (as <see cref="OperationCost.Reveals"/> of the run).</summary>
    public IReadOnlyList<RevealWire> Reveals { get; init; } = [];

    /// <summary>Rows the operation would run over (released counts: a join's size as it was released, rounded).</summary>
    public long Rows { get; init; }

    public long Rounds { get; init; }

    /// <summary>Bytes the three parties would send together.</summary>
    public long Bytes { get; init; }

    /// <summary>Bytes of the party that would send the most.</summary>
    public long BytesPerParty { get; init; }

    /// <summary>Estimated computation at the parties (this machine's speed), without waiting on links.</summary>
    public double ComputationMilliseconds { get; init; }

    /// <summary>The links between the parties as measured when they started (<see cref="MeasuredLink"/>).</summary>
    public MeasuredLink Link { get; init; } = MeasuredLink.None;

    /// <summary>Expected wall time: rounds × round time + bytes per party ÷ throughput + computation.</summary>
    public double ExpectedMilliseconds { get; init; }

    /// <summary>What the estimate assumes (e.g. how many rows a join links).</summary>
    public IReadOnlyList<string> Assumptions { get; init; } = [];

    /// <summary>The reveal lines, summarised by audience and purpose (as in a release's footer).</summary>
    public IEnumerable<string> RevealLines() =>
        new OperationCost(Rows, Rounds, Bytes, TimeSpan.Zero, [.. Reveals.Select(r => new RevealRecord(r.Audience, r.Purpose, r.Elements, DateTimeOffset.UnixEpoch))]).RevealLines();

    public override string ToString()
    {
        var sb = new StringBuilder().Append("explain: ").AppendLine(Operation);
        if (Refused) return sb.Append("would be refused (").Append(Rule).Append("): ").Append(Refusal).ToString();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"cost: {Rows:N0} rows · {Rounds:N0} rounds · {OperationCost.FormatBytes(BytesPerParty)} per party ({OperationCost.FormatBytes(Bytes)} in all)"));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"expected time: {FormatTime(ExpectedMilliseconds)} on {Link} (computation {FormatTime(ComputationMilliseconds)})"));
        if (RulesApplied.Count > 0) sb.Append("rules: ").AppendLine(string.Join("; ", RulesApplied));
        sb.AppendLine("would reveal:");
        foreach (var line in RevealLines()) sb.Append("  ").AppendLine(line);
        foreach (var a in Assumptions) sb.Append("assumes: ").AppendLine(a);
        return sb.ToString().TrimEnd();
    }

    public static string FormatTime(double ms) => ms < 1000
        ? ms.ToString("N0", CultureInfo.InvariantCulture) + " ms"
        : (ms / 1000).ToString("N1", CultureInfo.InvariantCulture) + " s";
}
