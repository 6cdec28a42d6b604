namespace Smpc.Governance;

/// <summary>A study operation refused by a lifecycle rule; <see cref="Unmet"/> names each unmet criterion.</summary>
public sealed class TransitionRefusedException(string message, IReadOnlyList<string> unmet) : Exception(message)
{
    public IReadOnlyList<string> Unmet { get; } = unmet;

    public TransitionRefusedException(string message) : this(message, [message]) { }
}
