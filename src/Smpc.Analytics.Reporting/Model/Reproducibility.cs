namespace Smpc.Analytics.Reporting;

/// <summary>How the run can be repeated: the command, seeds, versions of every component, when and where.</summary>
public sealed record Reproducibility
{
    /// <summary>The command line a reader runs to repeat the study.</summary>
    public required string Command { get; init; }

    /// <summary>Seeds and where randomness came from, by name (e.g. "synthetic data" → "2026").</summary>
    public IReadOnlyDictionary<string, string> Seeds { get; init; } = new Dictionary<string, string>();

    /// <summary>Component → version (assemblies, runtime, plotly.js).</summary>
    public IReadOnlyDictionary<string, string> Versions { get; init; } = new Dictionary<string, string>();

    public required DateTimeOffset StartedAt { get; init; }
    public required TimeSpan Duration { get; init; }

    /// <summary>Engine description, e.g. "secure, 3 parties in-process".</summary>
    public required string Engine { get; init; }

    /// <summary>Free-form facts (machine, OS, git commit when known).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
