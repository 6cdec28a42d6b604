namespace Smpc.Analytics;

/// <summary>Base type of every error the engine raises on purpose. The message names the problem.</summary>
public class SmpcException : Exception
{
    public SmpcException(string message) : base(message) { }
    public SmpcException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A peer closed its connection, stopped answering, or sent something the protocol did not expect.</summary>
public sealed class PeerFailureException : SmpcException
{
    public int Peer { get; }
    public PeerFailureException(int peer, string message) : base(message) => Peer = peer;
    public PeerFailureException(int peer, string message, Exception inner) : base(message, inner) => Peer = peer;
}

/// <summary>A value or an operation would leave the range the encoding can represent exactly.</summary>
public sealed class RangeException : SmpcException
{
    public RangeException(string message) : base(message) { }
}

/// <summary>Inputs of an operation do not fit together (lengths, schema, types, party ids).</summary>
public sealed class ShapeException : SmpcException
{
    public ShapeException(string message) : base(message) { }
}

/// <summary>Builds the engine's exceptions in one place so messages stay consistent.</summary>
internal static class Errors
{
    public static ShapeException LengthMismatch(string what, long left, long right) =>
        new($"{what}: columns have different lengths ({left} and {right}).");

    public static ArgumentOutOfRangeException PartyId(int id, string param = "partyId") =>
        new(param, id, $"Party id must be 0, 1 or 2; got {id}.");

    public static PeerFailureException Closed(int peer) =>
        new(peer, $"Party {peer} closed the connection.");

    public static PeerFailureException Silent(int peer, TimeSpan timeout) =>
        new(peer, $"Party {peer} sent nothing for {timeout.TotalSeconds:0} s; it may have stopped.");

    public static PeerFailureException Desync(int peer, long expected, long got) =>
        new(peer, $"Protocol out of step with party {peer}: expected a message of {expected} bytes, got {got}.");
}
