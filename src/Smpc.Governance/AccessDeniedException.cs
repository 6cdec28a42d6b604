namespace Smpc.Governance;

/// <summary>The actor may not do this; the message says which rule refused it.</summary>
public sealed class AccessDeniedException(string message) : Exception(message);
