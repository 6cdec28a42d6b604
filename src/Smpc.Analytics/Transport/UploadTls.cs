// TLS 1.3 links between a contributor and a compute party's store service (uploads of shares).
// Reference: RFC 8446 §4.4.2 (mutual certificate authentication); trust as in StudyCredentials (the study CA only).
// The service accepts only contributor certificates of its own study: a party, the analyst, or any member of
// another study (whose CA this listener does not trust) is refused during the handshake. The contributor accepts
// only the certificate of the party it dialled. In TLS 1.3 the client finishes its handshake before the server
// has judged its certificate; the upload protocol's first message comes from the service, so a refusal shows
// at the contributor as the connection closing before that message (UploadProtocol turns it into an error).
// Leakage: none beyond TLS handshake metadata (certificates travel encrypted in TLS 1.3; no SNI is sent).
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Smpc.Analytics.Transport;

/// <summary>An authenticated upload connection: the TLS stream and who is at the other end.</summary>
public sealed record UploadPeer(SslStream Stream, TcpClient Client, StudyMember Member, EndPoint? Remote) : IDisposable
{
    public void Dispose()
    {
        Stream.Dispose();
        Client.Dispose();
    }
}

public static class UploadTls
{
    /// <summary>The contributor side: connects to <paramref name="party"/>'s store service at <paramref name="endpoint"/>.
    /// Throws <see cref="PeerFailureException"/> when the party cannot be reached, <see cref="CertificateRefusedException"/>
    /// when its certificate is not that party's of this study.</summary>
    public static UploadPeer Dial(StudyCredentials contributor, int party, IPEndPoint endpoint, TimeSpan timeout)
    {
        if (!contributor.Self.IsContributor) throw new SmpcException($"Uploads are made with a contributor's certificate, not with that of {contributor.Self}.");
        var expected = StudyMember.Party(party);
        var client = new TcpClient(endpoint.AddressFamily) { NoDelay = true };
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            client.ConnectAsync(endpoint, cts.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            client.Dispose();
            throw new PeerFailureException(party, $"{expected}'s store service at {endpoint} cannot be reached ({(e is SocketException s ? s.SocketErrorCode.ToString() : "timed out")}). Is `smpc party serve` running there, and is its upload port in the study config right?");
        }
        string? refusal = null;
        var ssl = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        var options = contributor.ClientOptions((_, cert, _, _) =>
        {
            if (!contributor.TryIdentify(cert, out var member, out var error)) { refusal = error; return false; }
            if (member != expected) { refusal = $"the certificate presented is that of {member}, not {expected}"; return false; }
            return true;
        });
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            ssl.AuthenticateAsClientAsync(options, cts.Token).GetAwaiter().GetResult();
            return new UploadPeer(ssl, client, expected, endpoint);
        }
        catch (Exception e)
        {
            ssl.Dispose();
            client.Dispose();
            if (refusal is not null) throw new CertificateRefusedException($"{TlsConnector.Cap(contributor.Self.ToString())} refused the store service at {endpoint}: {refusal}.", e);
            throw new PeerFailureException(party, $"The TLS handshake with {expected}'s store service at {endpoint} failed ({e.Message}).", e);
        }
    }

    /// <summary>The service side: authenticates an accepted connection; only contributors of the study are admitted.
    /// Returns null and sets <paramref name="refusal"/> when refused.</summary>
    public static UploadPeer? Accept(TcpClient client, StudyCredentials party, TimeSpan timeout, out string? refusal)
    {
        client.NoDelay = true;
        string? reason = null;
        StudyMember member = default;
        var remote = client.Client.RemoteEndPoint;
        var ssl = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        var options = party.ServerOptions((_, cert, _, _) =>
        {
            if (!party.TryIdentify(cert, out member, out var error)) { reason = error; return false; }
            if (!member.IsContributor) { reason = $"{member} is not a contributor; only contributors upload to a store service"; return false; }
            return true;
        });
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            ssl.AuthenticateAsServerAsync(options, cts.Token).GetAwaiter().GetResult();
            refusal = null;
            return new UploadPeer(ssl, client, member, remote);
        }
        catch (Exception e) when (e is IOException or AuthenticationException or OperationCanceledException or ObjectDisposedException)
        {
            ssl.Dispose();
            client.Dispose();
            refusal = reason is not null ? $"refused a connection from {remote}: {reason}" : $"a connection from {remote} failed during the TLS handshake ({e.Message})";
            return null;
        }
    }
}
