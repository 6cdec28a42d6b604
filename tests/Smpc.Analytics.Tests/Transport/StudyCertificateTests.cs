using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Smpc.Analytics.Session;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Tests.Transport;

/// <summary>Study certificates and their refusal over real TLS sockets.</summary>
public sealed class StudyCertificateTests
{
    [Fact]
    public void Generated_certificates_name_the_member_and_chain_to_the_study_CA_only()
    {
        using var study = new TlsTestStudy("cert-test");
        using var other = new TlsTestStudy("cert-test");   // same name, different CA
        using var p0 = study.Credentials(StudyMember.Party(0));
        using var foreign = other.Credentials(StudyMember.Party(1));
        using var analyst = study.Credentials(StudyMember.Analyst);

        Assert.Equal("party-0", p0.Certificate.GetNameInfo(X509NameType.SimpleName, false));
        Assert.Contains("O=cert-test", p0.Certificate.Subject);
        Assert.Equal(256, p0.Certificate.GetECDsaPublicKey()!.KeySize);   // ECDSA P-256
        Assert.True(p0.TryIdentify(analyst.Certificate, out var member, out _));
        Assert.True(member.IsAnalyst);
        Assert.False(p0.TryIdentify(foreign.Certificate, out _, out var error));
        Assert.Contains("is not issued by study 'cert-test''s certificate authority", error);
        Assert.False(p0.TryIdentify(null, out _, out error));
        Assert.Contains("no certificate", error);
    }

    [Fact]
    public void Loading_a_certificate_of_another_member_is_refused()
    {
        using var study = new TlsTestStudy("cert-test");
        var swapped = study.Config with { Parties = [.. study.Config.Parties.Select(p => p.Id == 1 ? p with { Certificate = "party-2.crt", Key = "party-2.key" } : p)] };
        var e = Assert.Throws<CertificateRefusedException>(() => StudyCredentials.Load(swapped, StudyMember.Party(1)));
        Assert.Contains("is the certificate of party 2, not of party 1", e.Message);
        Assert.Throws<SmpcException>(() => StudyCertificates.Create("bad name!", study.Directory, [1, 2, 3]));
    }

    [Fact]
    public void A_party_with_another_studys_certificate_is_refused_by_both_sides()
    {
        using var study = new TlsTestStudy("refusal");
        using var other = new TlsTestStudy("refusal", [.. study.Config.Parties.Select(p => p.Port)]);   // same name and ports, different CA
        var (_, errors) = TlsTestStudy.OnThreads<int>(p =>
        {
            // Party 1 holds a certificate from the other study's CA; it dials party 0 with it.
            using var credentials = p == 1 ? other.Credentials(StudyMember.Party(1)) : study.Credentials(StudyMember.Party(p));
            using var network = TlsNetwork.Connect(p == 1 ? other.Config : study.Config, credentials, TlsTestStudy.QuickOptions(connectSeconds: 12));
            return 0;
        });
        // The intruder refuses party 0's certificate (not from its CA) ...
        var atOne = Assert.IsType<CertificateRefusedException>(errors[1]);
        Assert.Contains("Party 1 refused the peer", atOne.Message);
        Assert.Contains("is not issued by study 'refusal''s certificate authority", atOne.Message);
        // ... and party 0 refused the intruder's, so it never gets a party 1 and says why.
        var atZero = Assert.IsType<PeerFailureException>(errors[0]);
        Assert.Equal(1, atZero.Peer);
        Assert.Contains("party 1 did not connect", atZero.Message);
        Assert.Contains("'CN=party-1, OU=compute party, O=refusal' is not issued by study 'refusal''s certificate authority", atZero.Message);
        Assert.NotNull(errors[2]);   // party 2 cannot complete its mesh either
    }

    [Fact]
    public void A_listener_presenting_the_wrong_party_is_refused_by_the_dialer()
    {
        using var study = new TlsTestStudy("wrong-party");
        using var party0 = study.Credentials(StudyMember.Party(0));
        using var party2 = study.Credentials(StudyMember.Party(2));
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endpoint = (IPEndPoint)listener.LocalEndpoint;
        string? serverRefusal = null;
        var server = new Thread(() =>
        {
            using var client = listener.AcceptTcpClient();
            var peer = TlsConnector.Accept(client, party2, TimeSpan.FromSeconds(10), out serverRefusal);
            peer?.Stream.Dispose();
        });
        server.Start();
        // Party 0 expects party 1 at this endpoint, but party 2 answers.
        var e = Assert.Throws<CertificateRefusedException>(() =>
            TlsConnector.Dial(party0, StudyMember.Party(1), endpoint, DateTime.UtcNow.AddSeconds(10), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50)));
        Assert.True(server.Join(TimeSpan.FromSeconds(30)));
        listener.Stop();
        Assert.Contains("the certificate presented is that of party 2, not party 1", e.Message);
        Assert.NotNull(serverRefusal);   // the listener saw the handshake aborted by the dialer
    }

    [Fact]
    public void The_analyst_cannot_join_a_mesh_that_does_not_serve_it()
    {
        using var study = new TlsTestStudy("no-analyst");
        using var analyst = study.Credentials(StudyMember.Analyst);
        var (networks, errors) = TlsTestStudy.OnThreads(p =>
        {
            using var credentials = study.Credentials(StudyMember.Party(p));
            return TlsNetwork.Connect(study.Config, credentials, TlsTestStudy.QuickOptions());
        });
        Assert.All(errors, e => Assert.Null(e));
        try
        {
            // The listener is closed once the mesh is up (no --serve), so the analyst cannot even connect.
            var e = Assert.Throws<PeerFailureException>(() =>
                TlsConnector.Dial(analyst, StudyMember.Party(0), study.Config.EndPoint(0), DateTime.UtcNow.AddSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100)));
            Assert.Contains("could not reach party 0", e.Message);
        }
        finally
        {
            foreach (var n in networks) n?.Dispose();
        }
    }
}

/// <summary>Refusals decided by the listener alone (the dialer's certificate is from the study, but not welcome).</summary>
public sealed class ListenerRefusalTests
{
    [Fact]
    public void The_analyst_is_refused_during_the_handshake_by_a_party_that_does_not_serve()
    {
        using var study = new TlsTestStudy("listener-refusal");
        using var analyst = study.Credentials(StudyMember.Analyst);
        var (_, errors) = TlsTestStudy.OnThreads<int>(p =>
        {
            if (p == 1)
            {
                var atAnalyst = Assert.Throws<CertificateRefusedException>(() =>
                    TlsConnector.Dial(analyst, StudyMember.Party(0), study.Config.EndPoint(0), DateTime.UtcNow.AddSeconds(3), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50)));
                Assert.Contains("The analyst: party 0 at", atAnalyst.Message);
                // The listener's reason reaches the dialer at once (refusal hello), not just a closed handshake.
                Assert.Contains("refused this member's certificate: the analyst may connect only to a party started with --serve", atAnalyst.Message);
                return 0;
            }
            using var credentials = study.Credentials(StudyMember.Party(0));
            using var network = TlsNetwork.Connect(study.Config, credentials, TlsTestStudy.QuickOptions(connectSeconds: 12));
            return 0;
        }, parties: 2);
        Assert.Null(errors[1]);
        var atZero = Assert.IsType<PeerFailureException>(errors[0]);
        Assert.Contains("the analyst may connect only to a party started with --serve", atZero.Message);
    }
}
