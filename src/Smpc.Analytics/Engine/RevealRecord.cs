namespace Smpc.Analytics.Engine;

/// <summary>Who learned a revealed value.</summary>
public enum RevealAudience
{
    /// <summary>Opened to the three compute parties (e.g. shuffled pseudonyms, comparison results of a sort).</summary>
    ComputeParties,
    /// <summary>Released to the analyst (only aggregates that passed disclosure control).</summary>
    Analyst,
}

/// <summary>One entry of an engine's reveal log: what was revealed, to whom, how many elements, and why.</summary>
public sealed record RevealRecord(RevealAudience Audience, string Purpose, int Elements, DateTimeOffset At);
