// Establishing one authenticated link: TCP connect (with retries while the peer starts), TLS 1.3 handshake
// with mutual certificate authentication against the study CA (RFC 8446 §4.4.2), then a hello exchange.
//
// Hello (8 bytes each way, dialer first): "SMPC/1" + 0x00 + member byte (0..2 = party, 0xFF = analyst).
// In TLS 1.3 the client finishes its handshake before the server has judged the client certificate, so a
// refusal of the dialer's certificate only shows when the dialer next reads; waiting for the acceptor's hello
// turns that refusal into a clear error at the dialer too. Leakage: none beyond the TLS handshake metadata
// (certificates travel encrypted in TLS 1.3).
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Smpc.Analytics.Transport;

/// <summary>An authenticated TLS stream with the study member at the other end.</summary>
internal sealed record TlsPeer(SslStream Stream, TcpClient Client, StudyMember Member, EndPoint? Remote);

internal static class TlsConnector
{
    static readonly byte[] HelloPrefix = "SMPC/1\0"u8.ToArray();

    /// <summary>Dials <paramref name="expected"/> at <paramref name="endpoint"/>, retrying refused connections until
    /// <paramref name="deadline"/>; throws <see cref="CertificateRefusedException"/> on a certificate problem (no retry).</summary>
    public static TlsPeer Dial(StudyCredentials credentials, StudyMember expected, IPEndPoint endpoint, DateTime deadline, TimeSpan handshakeTimeout, TimeSpan retryDelay)
    {
        string who = $"{Cap(credentials.Self.ToString())}";
        while (true)
        {
            var client = new TcpClient(endpoint.AddressFamily) { NoDelay = true };
            try
            {
                var remaining = deadline - DateTime.UtcNow;
                if (remaining <= TimeSpan.Zero) throw new TimeoutException();
                using var cts = new CancellationTokenSource(remaining < TimeSpan.FromSeconds(5) ? remaining : TimeSpan.FromSeconds(5));
                client.ConnectAsync(endpoint, cts.Token).AsTask().GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or TimeoutException)
            {
                client.Dispose();
                if (DateTime.UtcNow + retryDelay >= deadline)
                    throw new PeerFailureException(expected.PartyId, $"{who} could not reach {expected} at {endpoint} before the connect timeout ({Reason(e)}). Is {expected} running, and is the endpoint in the study config right?");
                Thread.Sleep(retryDelay);
                continue;
            }
            return Handshake(client, credentials, expected, endpoint, handshakeTimeout, who);
        }
    }

    static TlsPeer Handshake(TcpClient client, StudyCredentials credentials, StudyMember expected, IPEndPoint endpoint, TimeSpan timeout, string who)
    {
        string? refusal = null;
        StudyMember member = default;
        var ssl = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        var options = credentials.ClientOptions((_, cert, _, _) =>
        {
            if (!credentials.TryIdentify(cert, out member, out var error)) { refusal = error; return false; }
            if (member != expected) { refusal = $"the certificate presented is that of {member}, not {expected}"; return false; }
            return true;
        });
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            ssl.AuthenticateAsClientAsync(options, cts.Token).GetAwaiter().GetResult();
            WriteHello(ssl, credentials.Self);
            var theirs = ReadHello(ssl, cts.Token);
            if (theirs != expected) throw new CertificateRefusedException($"{who}: the peer at {endpoint} introduced itself as {theirs}, not {expected}.");
            return new TlsPeer(ssl, client, member, endpoint);
        }
        catch (Exception e) when (e is not CertificateRefusedException)
        {
            ssl.Dispose();
            client.Dispose();
            if (refusal is not null)
                throw new CertificateRefusedException($"{who} refused the peer at {endpoint}: {refusal}.", e);
            if (e is OperationCanceledException)
                throw new PeerFailureException(expected.PartyId, $"{who}: the TLS handshake with {expected} at {endpoint} did not finish within {timeout.TotalSeconds:0} s.", e);
            throw new CertificateRefusedException($"{who}: {expected} at {endpoint} ended the TLS handshake ({Reason(e)}); it most likely refused this member's certificate (is it from this study, '{credentials.Study}'?).", e);
        }
    }

    /// <summary>Server side of a handshake on an accepted connection. <paramref name="admit"/> returns null for a member
    /// this listener accepts now, or the reason it does not. Returns null and sets <paramref name="refusal"/> when refused.</summary>
    public static TlsPeer? Accept(TcpClient client, StudyCredentials credentials, TimeSpan timeout, out string? refusal, Func<StudyMember, string?>? admit = null)
    {
        client.NoDelay = true;
        string? reason = null;
        StudyMember member = default;
        var remote = client.Client.RemoteEndPoint;
        var ssl = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        var options = credentials.ServerOptions((_, cert, _, _) =>
        {
            if (!credentials.TryIdentify(cert, out member, out var error)) { reason = error; return false; }
            if (member == credentials.Self) { reason = $"the certificate presented is this member's own ({member})"; return false; }
            reason = admit?.Invoke(member);
            return reason is null;
        });
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            ssl.AuthenticateAsServerAsync(options, cts.Token).GetAwaiter().GetResult();
            var theirs = ReadHello(ssl, cts.Token);
            if (theirs != member) { reason = $"it introduced itself as {theirs} but its certificate is that of {member}"; throw new AuthenticationException(reason); }
            WriteHello(ssl, credentials.Self);
            refusal = null;
            return new TlsPeer(ssl, client, member, remote);
        }
        catch (Exception e) when (e is IOException or AuthenticationException or OperationCanceledException or ObjectDisposedException or InvalidDataException)
        {
            ssl.Dispose();
            client.Dispose();
            refusal = reason is not null
                ? $"refused a connection from {remote}: {reason}"
                : $"a connection from {remote} failed during the TLS handshake ({Reason(e)})";
            return null;
        }
    }

    static void WriteHello(SslStream ssl, StudyMember self)
    {
        var hello = new byte[HelloPrefix.Length + 1];
        HelloPrefix.CopyTo(hello, 0);
        hello[^1] = self.IsAnalyst ? (byte)0xFF : (byte)self.PartyId;
        ssl.Write(hello);
        ssl.Flush();
    }

    static StudyMember ReadHello(SslStream ssl, CancellationToken token)
    {
        var hello = new byte[HelloPrefix.Length + 1];
        ssl.ReadExactlyAsync(hello, token).AsTask().GetAwaiter().GetResult();
        if (!hello.AsSpan(0, HelloPrefix.Length).SequenceEqual(HelloPrefix) || (hello[^1] > 2 && hello[^1] != 0xFF))
            throw new InvalidDataException("the peer's hello is not an smpc/1 hello");
        return hello[^1] == 0xFF ? StudyMember.Analyst : StudyMember.Party(hello[^1]);
    }

    static string Reason(Exception e) => e switch
    {
        TimeoutException => "timed out",
        SocketException s => s.SocketErrorCode.ToString(),
        OperationCanceledException => "timed out",
        _ => e.InnerException is null ? e.Message : $"{e.Message} {e.InnerException.Message}",
    };

    internal static string Cap(string s) => s.Length > 0 ? char.ToUpperInvariant(s[0]) + s[1..] : s;
}
