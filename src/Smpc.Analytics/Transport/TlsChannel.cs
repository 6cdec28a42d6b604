namespace Smpc.Analytics.Transport;

/// <summary>
/// A compute party's link to another compute party over TCP + TLS 1.3 (see <see cref="TlsNetwork"/> for how
/// links are made and authenticated, <see cref="FramedLink"/> for framing). Metering and transcript
/// recording come from <see cref="Channel"/>, so protocols and meters behave exactly as in memory.
/// </summary>
public sealed class TlsChannel : Channel
{
    readonly FramedLink _link;

    internal TlsChannel(int self, int peer, FramedLink link) : base(self, peer) => _link = link;

    /// <summary>A channel over any established byte stream (tests feed it hand-made frames).</summary>
    internal static TlsChannel Over(int self, int peer, Stream stream, FramedLinkOptions? options = null, IDisposable? owner = null) =>
        new(self, peer, new FramedLink(stream, peer, $"Party {peer}", options, owner));

    protected override void SendCore(ReadOnlySpan<byte> message) => _link.Send(message);

    protected override byte[] ReceiveCore() => _link.Receive();

    /// <summary>Tells the peer this party stops because <paramref name="failedParty"/> failed, then closes.</summary>
    public void Abort(int failedParty, string reason) => _link.Abort(failedParty, reason);

    /// <summary>False once the link failed or closed (the peer left, broke the link or fell silent).</summary>
    public bool IsOpen => _link.IsOpen;

    /// <summary>Why the link stopped (naming the peer), or null while it is open.</summary>
    public PeerFailureException? Stopped => _link.Stopped;

    public override void Dispose() => _link.Dispose();
}
