namespace Smpc.Analytics.Study;

/// <summary>The data-use terms do not allow a query. <see cref="Rule"/> names the term (e.g. "AllowedOperations").</summary>
public sealed class PolicyException(string rule, string message) : SmpcException($"Refused by the data-use terms ({rule}): {message}")
{
    public string Rule { get; } = rule;
}
