// Establishing one authenticated link: TCP connect (with retries while the peer starts), TLS 1.3 handshake
// with mutual certificate authentication against the study CA (RFC 8446 §4.4.2), then a hello exchange.
//
// Hello (8 bytes each way, dialer first): "SMPC/1" + 0x00 + member byte (0..2 = party, 0xFF = analyst,
// 0xFD = contributor). A certificate is judged by the study's rules (StudyCredentials.TryIdentify), not by aborting
// the TLS handshake: the handshake completes, and a side that refuses the other's certificate sends, instead of its
// hello, a refusal (member byte 0xFE, then the reason) and closes. So both sides know at once why a link was refused
// (an expired, revoked or foreign certificate) instead of one side seeing a bare reset or waiting for its timeout.
// Nothing but the refusal is ever sent over a link whose peer is refused. Leakage: none beyond the TLS handshake metadata
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
        // The callback admits any certificate at the TLS level and records the refusal, so the handshake completes and
        // the refusal can be sent to the peer in the hello (it then knows why, at once); nothing else is ever sent.
        var options = credentials.ClientOptions((_, cert, _, _) =>
        {
            if (!credentials.TryIdentify(cert, out member, out var error)) refusal = error;
            else if (member != expected) refusal = $"the certificate presented is that of {member}, not {expected}";
            return true;
        });
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            ssl.AuthenticateAsClientAsync(options, cts.Token).GetAwaiter().GetResult();
            if (refusal is not null)
            {
                Refuse(ssl, client, refusal, timeout);
                throw new CertificateRefusedException($"{who} refused the peer at {endpoint}: {refusal}.");
            }
            WriteHello(ssl, Tag(credentials.Self));
            var (theirs, refused) = ReadHello(ssl, cts.Token);
            if (refused is not null) throw new CertificateRefusedException($"{who}: {expected} at {endpoint} refused this member's certificate: {refused}.");
            if (theirs != Tag(expected)) throw new CertificateRefusedException($"{who}: the peer at {endpoint} introduced itself as {Describe(theirs)}, not {expected}.");
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
        catch
        {
            ssl.Dispose();
            client.Dispose();
            throw;
        }
    }

    /// <summary>Server side of a handshake on an accepted connection. <paramref name="admit"/> returns null for a member
    /// this listener accepts now, or the reason it does not. Returns null and sets <paramref name="refusal"/> when refused;
    /// <paramref name="refusedMember"/> then names the member when the certificate was genuinely issued to it by the
    /// study's CA (e.g. expired or revoked), else null.</summary>
    public static TlsPeer? Accept(TcpClient client, StudyCredentials credentials, TimeSpan timeout, out string? refusal, Func<StudyMember, string?>? admit = null) =>
        Accept(client, credentials, timeout, out refusal, out _, admit);

    /// <inheritdoc cref="Accept(TcpClient, StudyCredentials, TimeSpan, out string?, Func{StudyMember, string?}?)"/>
    public static TlsPeer? Accept(TcpClient client, StudyCredentials credentials, TimeSpan timeout, out string? refusal, out StudyMember? refusedMember, Func<StudyMember, string?>? admit = null)
    {
        client.NoDelay = true;
        string? reason = null;
        StudyMember member = default;
        StudyMember? issuedTo = null;
        var remote = client.Client.RemoteEndPoint;
        var ssl = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        var options = credentials.ServerOptions((_, cert, _, _) =>
        {
            if (!credentials.TryIdentify(cert, out member, out var error, out issuedTo)) reason = error;
            else if (member == credentials.Self) reason = $"the certificate presented is this member's own ({member})";
            else reason = admit?.Invoke(member);
            return true;   // refused in the hello (with the reason) rather than by aborting the handshake
        });
        refusedMember = null;
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            ssl.AuthenticateAsServerAsync(options, cts.Token).GetAwaiter().GetResult();
            var (theirs, refused) = ReadHello(ssl, cts.Token);
            if (refused is not null)
            {
                ssl.Dispose();
                client.Dispose();
                refusedMember = reason is null ? member : issuedTo;
                refusal = reason is null
                    ? $"{member} at {remote} refused this member's certificate: {refused}"
                    : $"refused a connection from {remote}: {reason} (and the peer refused this member's certificate: {refused})";
                return null;
            }
            if (reason is null && theirs != Tag(member)) reason = $"it introduced itself as {Describe(theirs)} but its certificate is that of {member}";
            if (reason is not null)
            {
                Refuse(ssl, client, reason, timeout);
                ssl.Dispose();
                client.Dispose();
                refusedMember = issuedTo;
                refusal = $"refused a connection from {remote}: {reason}";
                return null;
            }
            WriteHello(ssl, Tag(credentials.Self));
            refusal = null;
            return new TlsPeer(ssl, client, member, remote);
        }
        catch (Exception e) when (e is IOException or AuthenticationException or OperationCanceledException or ObjectDisposedException or InvalidDataException)
        {
            ssl.Dispose();
            client.Dispose();
            refusedMember = reason is null ? null : issuedTo;
            refusal = reason is not null
                ? $"refused a connection from {remote}: {reason}"
                : $"a connection from {remote} failed during the TLS handshake ({Reason(e)})";
            return null;
        }
    }

    const byte AnalystTag = 0xFF, RefusalTag = 0xFE;
    const int MaxRefusal = 2048;
    internal const byte ContributorTag = 0xFD;

    internal static byte Tag(StudyMember m) => m.IsAnalyst ? AnalystTag : m.IsContributor ? ContributorTag : (byte)m.PartyId;

    static string Describe(byte tag) => tag switch
    {
        AnalystTag => StudyMember.Analyst.ToString(),
        ContributorTag => "a contributor",
        <= 2 => StudyMember.Party(tag).ToString(),
        _ => $"member 0x{tag:X2}",
    };

    internal static void WriteHello(SslStream ssl, byte tag)
    {
        var hello = new byte[HelloPrefix.Length + 1];
        HelloPrefix.CopyTo(hello, 0);
        hello[^1] = tag;
        ssl.Write(hello);
        ssl.Flush();
    }

    /// <summary>The peer's hello: its member tag, or (tag 0xFE) the reason it refused this member's certificate.
    /// A refusal is the hello prefix, 0xFE, a 2-byte little-endian length and that many bytes of UTF-8.</summary>
    internal static (byte Tag, string? Refusal) ReadHello(SslStream ssl, CancellationToken token)
    {
        var hello = new byte[HelloPrefix.Length + 1];
        ssl.ReadExactlyAsync(hello, token).AsTask().GetAwaiter().GetResult();
        byte tag = hello[^1];
        if (!hello.AsSpan(0, HelloPrefix.Length).SequenceEqual(HelloPrefix) || (tag > 2 && tag < ContributorTag))
            throw new InvalidDataException("the peer's hello is not an smpc/1 hello");
        if (tag != RefusalTag) return (tag, null);
        var length = new byte[2];
        ssl.ReadExactlyAsync(length, token).AsTask().GetAwaiter().GetResult();
        int n = Math.Min(length[0] | length[1] << 8, MaxRefusal);
        var text = new byte[n];
        ssl.ReadExactlyAsync(text, token).AsTask().GetAwaiter().GetResult();
        return (tag, System.Text.Encoding.UTF8.GetString(text));
    }

    /// <summary>Tells the peer why it is refused (a refusal hello), closes this side and waits briefly for the peer to
    /// read it and close, so the reason is not lost to a connection reset. Never throws.</summary>
    internal static void Refuse(SslStream ssl, TcpClient client, string reason, TimeSpan timeout)
    {
        try
        {
            var text = System.Text.Encoding.UTF8.GetBytes(reason);
            if (text.Length > MaxRefusal) text = text[..MaxRefusal];
            var frame = new byte[HelloPrefix.Length + 3 + text.Length];
            HelloPrefix.CopyTo(frame, 0);
            frame[HelloPrefix.Length] = RefusalTag;
            frame[HelloPrefix.Length + 1] = (byte)text.Length;
            frame[HelloPrefix.Length + 2] = (byte)(text.Length >> 8);
            text.CopyTo(frame, HelloPrefix.Length + 3);
            ssl.Write(frame);
            ssl.Flush();
            ssl.ShutdownAsync().Wait(TimeSpan.FromSeconds(1));
            client.Client.Shutdown(SocketShutdown.Send);
            using var cts = new CancellationTokenSource(timeout < TimeSpan.FromSeconds(2) ? timeout : TimeSpan.FromSeconds(2));
            var sink = new byte[256];
            while (ssl.ReadAsync(sink, cts.Token).AsTask().GetAwaiter().GetResult() > 0) { }
        }
        catch (Exception) { }   // the peer may already be gone; the refusal is still logged on this side
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
