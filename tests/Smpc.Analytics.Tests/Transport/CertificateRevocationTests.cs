using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Smpc.Analytics.Session;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Tests.Transport;

/// <summary>
/// Revoked (study.json 'revokedCertificates'), expired and foreign certificates over real TLS sockets: refused with the
/// reason on both sides at once — the dialer is told why in the refusal hello, the listener reports it as it happens —
/// instead of one side seeing a bare reset or waiting for its connect timeout.
/// </summary>
public sealed class CertificateRevocationTests
{
    /// <summary>One accept on a loopback listener with <paramref name="server"/>'s credentials; returns the endpoint and a
    /// function giving the listener's refusal (null when it admitted the peer).</summary>
    static (IPEndPoint Endpoint, Func<string?> Refusal) AcceptOnce(StudyCredentials server)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        string? refusal = null;
        var thread = new Thread(() =>
        {
            using var client = listener.AcceptTcpClient();
            var peer = TlsConnector.Accept(client, server, TimeSpan.FromSeconds(10), out refusal);
            peer?.Stream.Dispose();
            listener.Stop();
        }) { IsBackground = true };
        thread.Start();
        return ((IPEndPoint)listener.LocalEndpoint, () =>
        {
            Assert.True(thread.Join(TimeSpan.FromSeconds(30)), "the listener did not finish");
            return refusal;
        });
    }

    static StudyConfig Revoking(StudyConfig config, RevokedCertificateConfig entry) => config with { RevokedCertificates = [entry] };

    [Fact]
    public void A_revoked_analyst_certificate_is_refused_with_the_reason_on_both_sides()
    {
        using var study = new TlsTestStudy("revocation");
        using var analyst = study.Credentials(StudyMember.Analyst);
        // Party 0's operator revoked the analyst's certificate (by serial number); the analyst's own copy of study.json does not list it.
        var serial = analyst.Certificate.SerialNumber;
        using var party0 = StudyCredentials.Load(Revoking(study.Config, new RevokedCertificateConfig("laptop reported stolen") { Serial = serial.ToLowerInvariant() }), StudyMember.Party(0));
        var (endpoint, refusal) = AcceptOnce(party0);
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<CertificateRefusedException>(() =>
            TlsConnector.Dial(analyst, StudyMember.Party(0), endpoint, DateTime.UtcNow.AddSeconds(30), TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(50)));
        clock.Stop();
        Assert.Contains($"party 0 at {endpoint} refused this member's certificate", e.Message);
        Assert.Contains($"(serial {serial}) is revoked by study 'revocation': laptop reported stolen", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the refusal took {clock.Elapsed} (the handshake timeout is 20 s)");
        var atParty = refusal();
        Assert.NotNull(atParty);
        Assert.Contains("is revoked by study 'revocation': laptop reported stolen", atParty);
    }

    [Fact]
    public void A_party_whose_certificate_the_dialer_revoked_learns_why_and_by_fingerprint()
    {
        using var study = new TlsTestStudy("revocation-fp");
        using var party0 = study.Credentials(StudyMember.Party(0));
        var fingerprint = string.Join(':', Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(party0.Certificate.RawData)).Chunk(2).Select(c => new string(c)));
        using var analyst = StudyCredentials.Load(Revoking(study.Config, new RevokedCertificateConfig("party 0 left the study") { Sha256 = fingerprint }), StudyMember.Analyst);
        var (endpoint, refusal) = AcceptOnce(party0);
        var e = Assert.Throws<CertificateRefusedException>(() =>
            TlsConnector.Dial(analyst, StudyMember.Party(0), endpoint, DateTime.UtcNow.AddSeconds(30), TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(50)));
        Assert.Contains("The analyst refused the peer", e.Message);
        Assert.Contains("is revoked by study 'revocation-fp': party 0 left the study", e.Message);
        // The listener is told too, and says who refused it and why.
        var atParty = refusal();
        Assert.NotNull(atParty);
        Assert.Contains("the analyst at", atParty);
        Assert.Contains("refused this member's certificate", atParty);
        Assert.Contains("party 0 left the study", atParty);
    }

    [Fact]
    public void An_expired_certificate_is_refused_as_expired_and_cannot_be_loaded()
    {
        using var study = new TlsTestStudy("expiry");
        // An analyst certificate that expires two seconds from now (issued 5 minutes back-dated, as all study certificates).
        var config = StudyCertificates.IssueAnalyst(study.Config, "short-lived", study.Directory, TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(2));
        using var analyst = StudyCredentials.Load(config, StudyMember.Analyst);
        using var party0 = study.Credentials(StudyMember.Party(0));
        while (analyst.Certificate.NotAfter.ToUniversalTime() >= DateTime.UtcNow) Thread.Sleep(200);
        var (endpoint, refusal) = AcceptOnce(party0);
        var e = Assert.Throws<CertificateRefusedException>(() =>
            TlsConnector.Dial(analyst, StudyMember.Party(0), endpoint, DateTime.UtcNow.AddSeconds(30), TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(50)));
        Assert.Contains("refused this member's certificate", e.Message);
        Assert.Contains($"expired on {analyst.Certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC", e.Message);
        Assert.Contains("expired on", refusal());
        // Loading it now is refused up front, with the same reason.
        var load = Assert.Throws<CertificateRefusedException>(() => StudyCredentials.Load(config, StudyMember.Analyst));
        Assert.Contains("expired on", load.Message);
    }

    [Fact]
    public void A_party_presenting_a_revoked_certificate_is_refused_by_the_mesh_at_once_not_at_the_connect_timeout()
    {
        using var study = new TlsTestStudy("mesh-revocation");
        using var probe = study.Credentials(StudyMember.Party(1));
        var revoked = Revoking(study.Config, new RevokedCertificateConfig("key compromised") { Serial = probe.Certificate.SerialNumber });
        var refusedAtZero = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        var (_, errors) = TlsTestStudy.OnThreads<int>(p =>
        {
            // Party 0 holds the revocation; party 1 still runs with the old study.json and its revoked certificate.
            var config = p == 1 ? study.Config : revoked;
            using var credentials = StudyCredentials.Load(config, StudyMember.Party(p));
            using var network = TlsNetwork.Connect(config, credentials, TlsTestStudy.QuickOptions(connectSeconds: 40) with
            {
                Refused = p == 0 ? refusedAtZero.Enqueue : null,
            });
            return 0;
        }, parties: 2);   // party 2 would wait for party 1 until its connect timeout (party 1 gave up)
        clock.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the mesh gave up after {clock.Elapsed}; the connect timeout is 40 s. {string.Join(" | ", errors.Select(e => e?.Message))} || {string.Join(" | ", refusedAtZero)}");
        var atOne = Assert.IsType<CertificateRefusedException>(errors[1]);
        Assert.Contains("refused this member's certificate", atOne.Message);
        Assert.Contains("is revoked by study 'mesh-revocation': key compromised", atOne.Message);
        var atZero = Assert.IsType<CertificateRefusedException>(errors[0]);
        Assert.Contains("key compromised", atZero.Message);
        Assert.Contains(refusedAtZero, r => r.Contains("CN=party-1") && r.Contains("key compromised"));
    }

    [Fact]
    public void A_foreign_certificate_is_reported_by_the_listener_as_it_happens()
    {
        using var study = new TlsTestStudy("foreign");
        using var other = new TlsTestStudy("foreign");   // same name, another CA
        using var intruder = other.Credentials(StudyMember.Analyst);
        var refused = new System.Collections.Concurrent.BlockingCollection<string>();
        TlsNetwork?[] networks = new TlsNetwork?[3];
        var credentials = Enumerable.Range(0, 3).Select(p => study.Credentials(StudyMember.Party(p))).ToArray();   // live as long as the networks
        var (_, errors) = TlsTestStudy.OnThreads(p =>
        {
            networks[p] = TlsNetwork.Connect(study.Config, credentials[p], TlsTestStudy.QuickOptions() with { Refused = p == 0 ? refused.Add : null }, acceptAnalyst: true);
            return 0;
        });
        try
        {
            Assert.All(errors, e => Assert.Null(e));
            var e = Assert.Throws<CertificateRefusedException>(() =>
                TlsConnector.Dial(intruder, StudyMember.Party(0), study.Config.EndPoint(0), DateTime.UtcNow.AddSeconds(30), TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(50)));
            Assert.Contains("is not issued by study 'foreign''s certificate authority", e.Message);
            Assert.True(refused.TryTake(out var logged, TimeSpan.FromSeconds(10)), "party 0 did not report the refusal");
            Assert.Contains("refused a connection from", logged);
            Assert.Contains("'CN=analyst, OU=analyst, O=foreign' is not issued by study 'foreign''s certificate authority", logged);
        }
        finally
        {
            foreach (var n in networks) n?.Dispose();
            foreach (var c in credentials) c.Dispose();
        }
    }

    [Fact]
    public void A_revoked_contributor_is_refused_by_the_store_service_with_the_reason_on_both_sides()
    {
        var folder = Path.Combine(Path.GetTempPath(), "smpc-upload-revocation-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            var config = StudyCertificates.Create("upload-revocation", folder, TlsTestStudy.FreePorts(3), contributors: ["clinic"]);
            using var contributor = StudyCredentials.Load(config, StudyMember.ContributorNamed("clinic"));
            using var party1 = StudyCredentials.Load(Revoking(config, new RevokedCertificateConfig("steward changed organisation") { Serial = contributor.Certificate.SerialNumber }), StudyMember.Party(1));
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            string? atService = null;
            var service = new Thread(() =>
            {
                using var client = listener.AcceptTcpClient();
                using var peer = UploadTls.Accept(client, party1, TimeSpan.FromSeconds(10), out atService);
                listener.Stop();
            }) { IsBackground = true };
            service.Start();
            var e = Assert.Throws<CertificateRefusedException>(() =>
                UploadTls.Dial(contributor, 1, (IPEndPoint)listener.LocalEndpoint, TimeSpan.FromSeconds(20)));
            Assert.Contains("party 1's store service at", e.Message);
            Assert.Contains("refused the certificate of contributor 'clinic'", e.Message);
            Assert.Contains("is revoked by study 'upload-revocation': steward changed organisation", e.Message);
            Assert.True(service.Join(TimeSpan.FromSeconds(30)));
            Assert.NotNull(atService);
            Assert.Contains("CN=contributor-clinic", atService);
            Assert.Contains("steward changed organisation", atService);
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public void A_revocation_list_entry_needs_a_reason_and_a_well_formed_serial_or_fingerprint()
    {
        using var study = new TlsTestStudy("revocation-config");
        var path = Path.Combine(study.Directory, "revoking.json");
        var e = Assert.Throws<SmpcException>(() => Revoking(study.Config, new RevokedCertificateConfig("") { Serial = "0A" }).Save(path));
        Assert.Contains("revokedCertificates[0]: 'reason' is missing", e.Message);
        e = Assert.Throws<SmpcException>(() => Revoking(study.Config, new RevokedCertificateConfig("lost")).Save(path));
        Assert.Contains("give 'serial' or 'sha256'", e.Message);
        e = Assert.Throws<SmpcException>(() => Revoking(study.Config, new RevokedCertificateConfig("lost") { Sha256 = "abc" }).Save(path));
        Assert.Contains("is not a SHA-256 fingerprint", e.Message);
        Revoking(study.Config, new RevokedCertificateConfig("lost") { Serial = "7f:00:1a" }).Save(path);
        var loaded = StudyConfig.Load(path);
        Assert.Equal("7f:00:1a", Assert.Single(loaded.RevokedCertificates).Serial);
    }
}
