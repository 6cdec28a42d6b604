namespace Smpc.Analytics;

/// <summary>A rule of the data-use terms or of the study's disclosure model refuses a query. <see cref="Rule"/> names it
/// (e.g. "AllowedOperations", "StudyDisclosure"). The engine throws it for its own rules (the study-wide disclosure
/// model); the terms' rules are checked above the engine (Smpc.Governance) and throw it with the term's name.</summary>
public sealed class PolicyException(string rule, string message) : SmpcException($"Refused by the data-use terms ({rule}): {message}")
{
    public string Rule { get; } = rule;
}
