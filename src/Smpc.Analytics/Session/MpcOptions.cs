namespace Smpc.Analytics.Session;

/// <summary>Parameters every party of a session must agree on.</summary>
public sealed record MpcOptions
{
    /// <summary>Default fractional bits of fixed-point values (values are scaled by 2^f).</summary>
    public int FractionBits { get; init; } = 16;

    /// <summary>How long a party waits for a peer's message before it reports the peer as gone.</summary>
    public TimeSpan ReceiveTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public static MpcOptions Default { get; } = new();
}
