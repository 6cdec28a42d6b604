// TLS 1.3 links between a contributor and a compute party's store service (uploads of shares).
// Reference: RFC 8446 §4.4.2 (mutual certificate authentication); trust as in StudyCredentials (the study CA only).
// The service accepts only contributor certificates of its own study: a party, the analyst, or any member of
// another study (whose CA this listener does not trust) is refused during the handshake. The contributor accepts
// only the certificate of the party it dialled. After the handshake the two exchange hellos as every study link does
// (TlsConnector: contributor first); a side that refuses the other's certificate sends a refusal with the reason
// instead, so the contributor is told at once why (expired, revoked, foreign) and the service logs it.
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
        // A store service that is still starting refuses the connection: dial again until the timeout, as the analyst's
        // and the parties' links do (a steward may start its upload while the services come up).
        var deadline = DateTime.UtcNow + timeout;
        TcpClient client;
        while (true)
        {
            client = new TcpClient(endpoint.AddressFamily) { NoDelay = true };
            try
            {
                var left = deadline - DateTime.UtcNow;
                using var cts = new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
                client.ConnectAsync(endpoint, cts.Token).AsTask().GetAwaiter().GetResult();
                break;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                client.Dispose();
                bool refused = e is SocketException { SocketErrorCode: SocketError.ConnectionRefused };
                if (refused && DateTime.UtcNow + TimeSpan.FromMilliseconds(200) < deadline) { Thread.Sleep(200); continue; }
                throw new PeerFailureException(party, $"{expected}'s store service at {endpoint} cannot be reached ({(e is SocketException s ? s.SocketErrorCode.ToString() : "timed out")}" +
                    $"{(refused ? $", for {timeout.TotalSeconds:0} s" : "")}). Is `smpc party serve` running there, and is its upload port in the study config right?");
            }
        }
        string? refusal = null;
        var ssl = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        var options = contributor.ClientOptions((_, cert, _, _) =>
        {
            if (!contributor.TryIdentify(cert, out var member, out var error)) refusal = error;
            else if (member != expected) refusal = $"the certificate presented is that of {member}, not {expected}";
            return true;   // refused in the hello, with the reason (TlsConnector)
        });
        string who = TlsConnector.Cap(contributor.Self.ToString());
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            ssl.AuthenticateAsClientAsync(options, cts.Token).GetAwaiter().GetResult();
            if (refusal is not null)
            {
                TlsConnector.Refuse(ssl, client, refusal, timeout);
                throw new CertificateRefusedException($"{who} refused the store service at {endpoint}: {refusal}.");
            }
            TlsConnector.WriteHello(ssl, TlsConnector.ContributorTag);
            var (tag, refused) = TlsConnector.ReadHello(ssl, cts.Token);
            if (refused is not null) throw new CertificateRefusedException($"{expected}'s store service at {endpoint} refused the certificate of {contributor.Self}: {refused}.");
            if (tag != party) throw new CertificateRefusedException($"{who}: the store service at {endpoint} introduced itself as another member than {expected}.");
            return new UploadPeer(ssl, client, expected, endpoint);
        }
        catch (Exception e)
        {
            ssl.Dispose();
            client.Dispose();
            if (e is CertificateRefusedException) throw;
            if (refusal is not null) throw new CertificateRefusedException($"{who} refused the store service at {endpoint}: {refusal}.", e);
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
            if (!party.TryIdentify(cert, out member, out var error)) reason = error;
            else if (!member.IsContributor) reason = $"{member} is not a contributor; only contributors upload to a store service";
            return true;   // refused in the hello, with the reason (TlsConnector)
        });
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            ssl.AuthenticateAsServerAsync(options, cts.Token).GetAwaiter().GetResult();
            var (tag, refused) = TlsConnector.ReadHello(ssl, cts.Token);
            if (refused is not null)
            {
                ssl.Dispose();
                client.Dispose();
                refusal = $"{(reason is null ? member.ToString() : "the peer")} at {remote} refused this party's certificate: {refused}";
                return null;
            }
            if (reason is null && tag != TlsConnector.ContributorTag) reason = $"{member} did not introduce itself as a contributor";
            if (reason is not null)
            {
                TlsConnector.Refuse(ssl, client, reason, timeout);
                ssl.Dispose();
                client.Dispose();
                refusal = $"refused a connection from {remote}: {reason}";
                return null;
            }
            TlsConnector.WriteHello(ssl, (byte)party.Self.PartyId);
            refusal = null;
            return new UploadPeer(ssl, client, member, remote);
        }
        catch (Exception e) when (e is IOException or AuthenticationException or OperationCanceledException or ObjectDisposedException or InvalidDataException)
        {
            ssl.Dispose();
            client.Dispose();
            refusal = reason is not null ? $"refused a connection from {remote}: {reason}" : $"a connection from {remote} failed during the TLS handshake ({e.Message})";
            return null;
        }
    }
}
