using Smpc.Analytics.Protocols;
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Tests.Transport;

/// <summary>Three parties on threads of this process, linked by real TLS 1.3 sockets on 127.0.0.1.</summary>
public sealed class TlsNetworkTests
{
    [Fact]
    public void Demo_program_over_TLS_equals_LocalCluster_and_plaintext_with_identical_traffic()
    {
        using var study = new TlsTestStudy();
        const int rows = 500, seed = 7;
        var (tls, errors) = TlsTestStudy.OnThreads(p =>
        {
            using var credentials = study.Credentials(StudyMember.Party(p));
            using var network = TlsNetwork.Connect(study.Config, credentials, TlsTestStudy.QuickOptions());
            Assert.IsType<TlsChannel>(network.Next);
            var session = MpcSession.Establish(p, network.Next, network.Prev);
            return PartyDemo.Run(session, rows, seed);
        });
        Assert.All(errors, e => Assert.Null(e));
        using var cluster = new LocalCluster();
        var local = cluster.Run(s => PartyDemo.Run(s, rows, seed));

        var a = PartyDemo.IntegerColumn(0, rows, seed); var b = PartyDemo.IntegerColumn(1, rows, seed);
        long dot = a.Zip(b, (u, v) => u * v).Sum();
        var lessThan = a.Zip(b, (u, v) => u < v).ToArray();
        for (int p = 0; p < 3; p++)
        {
            Assert.Equal(dot, tls[p]!.DotProduct);
            Assert.Equal(local[p].DotProduct, tls[p]!.DotProduct);
            Assert.Equal(lessThan, tls[p]!.LessThan);
            Assert.Equal(local[p].LessThan, tls[p]!.LessThan);
            Assert.Equal(tls[0]!.FixedProductsRaw, tls[p]!.FixedProductsRaw);   // opened to all: every party sees the same
            // Same messages, same sizes: the TLS channel meters exactly what the in-memory one does.
            Assert.Equal(local[p].Traffic, tls[p]!.Traffic);
        }
        DemoReference.AssertFixedProducts(rows, seed, tls[0]!.FixedProductsRaw);
        DemoReference.AssertFixedProducts(rows, seed, local[0].FixedProductsRaw);
    }

    [Fact]
    public void Ring_of_large_sends_before_any_receive_does_not_deadlock()
    {
        using var study = new TlsTestStudy();
        const int words = 8 << 20;   // 64 MiB per message: far beyond any socket buffer
        var (got, errors) = TlsTestStudy.OnThreads(p =>
        {
            using var credentials = study.Credentials(StudyMember.Party(p));
            using var network = TlsNetwork.Connect(study.Config, credentials, TlsTestStudy.QuickOptions());
            var message = new ulong[words];
            message.AsSpan().Fill((ulong)(p + 1) * 0x0101010101010101UL);
            network.Next.SendWords(message);     // all three send first ...
            network.Prev.SendWords(message);
            var fromPrev = network.Prev.ReceiveWords(words);   // ... then receive
            var fromNext = network.Next.ReceiveWords(words);
            return (fromPrev[0], fromPrev[^1], fromNext[0], network.Next.Meter.BytesSent);
        });
        Assert.All(errors, e => Assert.Null(e));
        for (int p = 0; p < 3; p++)
        {
            ulong prev = (ulong)((p + 2) % 3 + 1) * 0x0101010101010101UL, next = (ulong)((p + 1) % 3 + 1) * 0x0101010101010101UL;
            Assert.Equal((prev, prev, next, (long)words * 8), got[p]);
        }
    }

    [Fact]
    public void A_peer_that_closes_its_links_is_named_in_the_error()
    {
        using var study = new TlsTestStudy();
        using var leaving = new ManualResetEventSlim();
        var (_, errors) = TlsTestStudy.OnThreads<int>(p =>
        {
            using var credentials = study.Credentials(StudyMember.Party(p));
            using var network = TlsNetwork.Connect(study.Config, credentials, TlsTestStudy.QuickOptions());
            var session = MpcSession.Establish(p, network.Next, network.Prev);
            if (p == 2) { network.Dispose(); leaving.Set(); return 0; }
            leaving.Wait();
            session.LinkTo(2).Receive();   // party 2 left without sending
            return 1;
        });
        Assert.Null(errors[2]);
        for (int p = 0; p < 2; p++)
        {
            var e = Assert.IsType<PeerFailureException>(errors[p]);
            Assert.Equal(2, e.Peer);
            Assert.Contains("Party 2 closed the connection", e.Message);
        }
    }

    [Fact]
    public void A_party_that_fails_tells_the_others_which_party_failed()
    {
        using var study = new TlsTestStudy();
        var (_, errors) = TlsTestStudy.OnThreads<int>(p =>
        {
            using var credentials = study.Credentials(StudyMember.Party(p));
            var network = TlsNetwork.Connect(study.Config, credentials, TlsTestStudy.QuickOptions());
            try
            {
                var session = MpcSession.Establish(p, network.Next, network.Prev);
                // Party 1 learns that party 2 failed; parties 0 and 1 wait on each other, so party 0 only hears it from party 1.
                if (p == 1) throw new PeerFailureException(2, "Party 2 closed the connection.");
                if (p == 2) { network.Prev.Receive(); return 0; }
                network.Next.Receive();
                return 0;
            }
            catch (Exception e) { network.Abort(e); throw; }
            finally { network.Dispose(); }
        });
        var atZero = Assert.IsType<PeerFailureException>(errors[0]);
        Assert.Equal(2, atZero.Peer);
        Assert.Contains("Party 2 failed (reported by party 1)", atZero.Message);
        var atTwo = Assert.IsType<PeerFailureException>(errors[2]);
        Assert.Equal(1, atTwo.Peer);
    }

    [Fact]
    public void A_party_that_never_starts_gives_a_clear_timeout()
    {
        using var study = new TlsTestStudy();
        var (_, errors) = TlsTestStudy.OnThreads<int>(p =>
        {
            using var credentials = study.Credentials(StudyMember.Party(p));
            using var network = TlsNetwork.Connect(study.Config, credentials, TlsTestStudy.QuickOptions(connectSeconds: 2));
            return 0;
        }, parties: 2);   // party 2 is never started
        for (int p = 0; p < 2; p++)
        {
            var e = Assert.IsType<PeerFailureException>(errors[p]);
            Assert.Equal(2, e.Peer);
            Assert.Contains("party 2 did not connect", e.Message);
        }
    }
}
