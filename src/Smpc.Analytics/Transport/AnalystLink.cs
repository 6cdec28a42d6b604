// The analyst's link to one compute party service, as the party sees it (accepted) and as the analyst sees it
// (dialled): framed messages over mutual TLS 1.3, plus who the analyst is. The analyst's account is read from its
// certificate (issued by the study CA; StudyCertificates.IssueAnalyst): the subject's UID attribute, or "analyst" for
// the study's default analyst certificate. Nothing the analyst says about itself counts.
// Leakage to a network observer: as every TLS link (endpoints, sizes, timing; LEAKAGE.md).
using System.Security.Cryptography.X509Certificates;
using Smpc.Analytics.Session;

namespace Smpc.Analytics.Transport;

public sealed class AnalystLink : IDisposable
{
    /// <summary>The X.500 UID attribute (RFC 4519 §2.39) that carries the analyst's account in its certificate.</summary>
    public const string AccountOid = "0.9.2342.19200300.100.1.1";

    readonly FramedLink _link;

    AnalystLink(FramedLink link, string account, int party)
    {
        _link = link;
        Account = account;
        Party = party;
    }

    /// <summary>The analyst's account as its certificate proves it (on the party side); the analyst's own on its side.</summary>
    public string Account { get; }

    /// <summary>The compute party at the other end (analyst side), or −1 (party side: the peer is the analyst).</summary>
    public int Party { get; }

    public void Send(ReadOnlySpan<byte> message) => _link.Send(message);

    /// <summary>The next message; throws <see cref="PeerFailureException"/> when the peer left or fell silent.</summary>
    public byte[] Receive() => _link.Receive();

    /// <summary>Tells the peer that the job stops because party <paramref name="failedParty"/> failed (its error then names
    /// that party), then closes.</summary>
    public void Abort(int failedParty, string reason) => _link.Abort(failedParty, reason);

    public void Dispose() => _link.Dispose();

    /// <summary>The account named by an analyst certificate: its UID attribute, else its common name.</summary>
    public static string AccountOf(X509Certificate2 certificate)
    {
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
            if (rdn.GetSingleElementType().Value == AccountOid && rdn.GetSingleElementValue() is { Length: > 0 } uid) return uid;
        return certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
    }

    internal static AnalystLink Accepted(TlsPeer peer, FramedLinkOptions options)
    {
        using var presented = peer.Stream.RemoteCertificate is { } c ? X509CertificateLoader.LoadCertificate(c.GetRawCertData()) : null;
        if (presented is null) throw new CertificateRefusedException("The analyst presented no certificate.");
        return new AnalystLink(new FramedLink(peer.Stream, -1, "The analyst", options, peer.Client), AccountOf(presented), -1);
    }

    /// <summary>An analyst's link to party <paramref name="party"/> when both run in this process (the embedded default):
    /// the same framing, heartbeats and failure reports as over TLS, on an in-memory stream. The account is the one the
    /// process's study names (no certificate proves it: one process holds every role).</summary>
    public static (AnalystLink Analyst, AnalystLink Party) InProcess(string account, int party, FramedLinkOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(account);
        var (a, b) = InProcessStream.Pair();
        return (new AnalystLink(new FramedLink(a, party, $"Party {party}", options), account, party),
                new AnalystLink(new FramedLink(b, -1, "The analyst", options), account, -1));
    }

    /// <summary>Dials party <paramref name="party"/> of <paramref name="config"/> as the analyst (retrying refused connections
    /// until <paramref name="timeout"/>; a certificate problem is reported at once).</summary>
    public static AnalystLink Dial(StudyConfig config, StudyCredentials analyst, int party, TimeSpan timeout, FramedLinkOptions? options = null)
    {
        if (!analyst.Self.IsAnalyst) throw new SmpcException($"Only the analyst dials the party services; these credentials are {analyst.Self}'s.");
        var peer = TlsConnector.Dial(analyst, StudyMember.Party(party), config.EndPoint(party), DateTime.UtcNow + timeout, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        return new AnalystLink(new FramedLink(peer.Stream, party, $"Party {party}", options, peer.Client), AccountOf(analyst.Certificate), party);
    }
}
