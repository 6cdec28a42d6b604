using System.Text.Json;
using Smpc.Analytics.Studies.Parties;
using Smpc.Governance;
using Smpc.Governance.Gating;
using Smpc.Governance.Transparency;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>Registry-gated party services: with the registry's token key pinned, the three parties run a request only
/// with a work token the registry signed for this study, this analyst and exactly the terms they hold; every other
/// request is refused by all three with the rule named, and nothing is computed.</summary>
public sealed class GatedPartyServiceTests : TempFolders
{
    static readonly LogKey Registry = LogKey.Generate("registry-tokens");

    [Fact]
    public void Parties_compute_only_with_a_valid_work_token_for_this_analyst_and_these_terms()
    {
        var check = new StudyTokenCheck { Registry = Registry.Public, Study = PartyServices.Study, Revoked = new HashSet<string> { "revoked-id" } };
        using var services = PartyServices.Start(NewFolder(), gate: new PartyGate(check));
        var links = services.RawLinks(PartyServices.Analyst);
        try
        {
            PartyReply Ask(PartyRequest request)
            {
                var bytes = PartyWire.Encode(request);
                foreach (var l in links) l.Send(bytes);
                PartyReply Final(Smpc.Analytics.Transport.AnalystLink l)
                {
                    while (true)
                        if (JsonSerializer.Deserialize<PartyReply>(l.Receive(), PartyWire.Json)! is { Progress: null } reply) return reply;   // after any progress lines
                }
                var replies = links.Select(Final).ToArray();
                Assert.All(replies, r => Assert.Equal(replies[0].Ok, r.Ok));
                Assert.All(replies, r => Assert.Equal(replies[0].Rule, r.Rule));
                return replies[0];
            }
            var terms = services.Terms.ToDictionary(t => t.Key, t => TermsDocument.Hash(TermsDocument.Canonical(t.Value)));
            var now = DateTime.UtcNow;
            string Token(Func<StudyTokenClaims, StudyTokenClaims>? change = null)
            {
                var claims = new StudyTokenClaims
                {
                    Study = PartyServices.Study, Analyst = PartyServices.Analyst, Role = "analyst", Stage = "Analysis", Terms = terms,
                    IssuedAt = now.AddMinutes(-1), Expires = now.AddMinutes(14), Id = Guid.NewGuid().ToString("N"),
                };
                return StudyToken.Issue(Registry, change is null ? claims : change(claims));
            }
            var list = new PartyRequest { Op = PartyRequest.Datasets };

            Assert.Equal("TokenMissing", Ask(list).Rule);
            Assert.Equal("TokenExpired", Ask(list with { Token = Token(c => c with { IssuedAt = now.AddMinutes(-40), Expires = now.AddMinutes(-25) }) }).Rule);
            Assert.Equal("TokenAnalyst", Ask(list with { Token = Token(c => c with { Analyst = "mallory" }) }).Rule);
            Assert.Equal("TokenRevoked", Ask(list with { Token = Token(c => c with { Id = "revoked-id" }) }).Rule);
            Assert.Equal("TokenSignature", Ask(list with { Token = StudyToken.Issue(LogKey.Generate("registry-tokens"), StudyToken.Open(Token(), Registry.Public)) }).Rule);
            var otherTerms = new Dictionary<string, string>(terms) { [terms.Keys.First()] = new string('0', 64) };
            Assert.Equal("TermsVersion", Ask(list with { Token = Token(c => c with { Terms = otherTerms }) }).Rule);

            var accepted = Ask(list with { Token = Token() });
            Assert.True(accepted.Ok, accepted.Error);
            Assert.Equal(services.Terms.Count, accepted.Result!.Value.GetArrayLength());
        }
        finally
        {
            foreach (var l in links) l.Dispose();
        }
    }

    /// <summary>A party's computation log in memory (the registry's, in Smpc.Registry.Tests).</summary>
    sealed class MemoryLog(int party) : IComputationLog
    {
        public List<ComputationRecord> Records { get; } = [];
        public volatile bool Fail;

        public ComputationLogged Append(ComputationRecord record)
        {
            if (Fail) throw new InvalidOperationException("the registry is unreachable");
            lock (Records)
            {
                Records.Add(record);
                long index = 100 * (party + 1) + Records.Count;
                return new ComputationLogged(index, $"https://registry.example/api/studies/{PartyServices.Study}/log/{index}");
            }
        }
    }

    [Fact]
    public void Each_party_logs_its_join_release_and_refusal_and_a_party_that_cannot_log_withholds_the_result()
    {
        var check = new StudyTokenCheck { Registry = Registry.Public, Study = PartyServices.Study };
        var logs = Enumerable.Range(0, 3).Select(p => new MemoryLog(p)).ToArray();
        using var services = PartyServices.Start(NewFolder(), gates: p => new PartyGate(check) { Log = logs[p] });
        var token = AnalystToken(services, "token0001");
        using var study = SecureStudy.Connect(services.ConfigPath, services.Credentials(PartyServices.Analyst), workToken: token);
        Assert.All(logs, l => Assert.Empty(l.Records));                      // listing the datasets is not a computation

        var join = study.Join(new JoinRequest { Datasets = ["harbour", "allotments"], Name = "ha" });
        var counts = study.Count("ha", "county");
        var refusal = Assert.Throws<StudyRefusedException>(() => study.Mean("allotments", "plot_size_m2"));
        Assert.Equal("AllowedColumns", refusal.Rule);
        Assert.Equal([0, 1, 2], refusal.LogEntries.Select(e => e.Party));

        foreach (var (release, digest) in new (StudyEvent, string)[] { (join, PartyWire.Digest(join)), (counts, PartyWire.Digest(counts)) })
        {
            Assert.Equal([0, 1, 2], release.LogEntries.Select(e => e.Party));
            Assert.Equal(3, release.LogEntries.Select(e => e.Index).Distinct().Count());
            Assert.All(release.LogEntries, e => Assert.EndsWith($"/log/{e.Index}", e.Url));
            Assert.All(logs, l => Assert.Contains(l.Records, r => r.ResultSha256 == digest && r.Sequence == release.Sequence));
        }
        for (int p = 0; p < 3; p++)
        {
            var records = logs[p].Records;
            Assert.Equal(["query", "release", "refusal"], records.Select(r => r.Kind));
            Assert.All(records, r => Assert.Equal(p, r.Party));
            Assert.All(records, r => Assert.Equal(PartyServices.Analyst, r.Analyst));
            Assert.All(records, r => Assert.Equal("token0001", r.TokenId));
            Assert.All(records, r => Assert.Null(r.Problem(["harbour", "allotments"])));
            Assert.Equal(["harbour", "allotments"], records[0].Datasets);
            Assert.Equal(["harbour", "allotments"], records[1].Datasets);      // the joined dataset's contributors
            Assert.Equal("AllowedColumns", records[2].Rule);
            Assert.Null(records[2].ResultSha256);
        }

        // A party that cannot log withholds the result; the analyst gets none.
        logs[1].Fail = true;
        Assert.Equal("ComputationLog", Assert.Throws<StudyRefusedException>(() => study.Count("ha")).Rule);
        logs[1].Fail = false;
        Assert.Equal(3, study.Count("ha").LogEntries.Count);
    }

    /// <summary>A party's witness of the log in memory: countersigns until the log is made to fork.</summary>
    sealed class MemoryWitness(int party) : ILogWitness
    {
        static readonly LogKey LogSigner = LogKey.Generate("registry");
        public int Rounds;
        public volatile bool Forked;

        public WitnessedHead Countersign()
        {
            var n = Interlocked.Increment(ref Rounds);
            var key = LogKey.Generate($"party-{party}");
            var held = SignedTreeHead.Sign(LogSigner, n, new byte[32], DateTime.UtcNow);
            if (Forked)
            {
                var presented = SignedTreeHead.Sign(LogSigner, n + 1, Enumerable.Repeat((byte)7, 32).ToArray(), DateTime.UtcNow);
                throw new LogForkException($"Fork: {presented} does not extend {held} that party-{party} countersigned.", held, presented, n - 1);
            }
            return new WitnessedHead(held, null, new Cosignature(key.Name, key.Public.KeyId, DateTime.UtcNow, new byte[64]));
        }
    }

    [Fact]
    public void A_party_whose_log_forks_withholds_the_result_and_refuses_all_later_work_with_LogConsistency()
    {
        var check = new StudyTokenCheck { Registry = Registry.Public, Study = PartyServices.Study };
        var logs = Enumerable.Range(0, 3).Select(p => new MemoryLog(p)).ToArray();
        var witnesses = Enumerable.Range(0, 3).Select(p => new MemoryWitness(p)).ToArray();
        var gates = Enumerable.Range(0, 3).Select(p => new PartyGate(check) { Log = logs[p], Witness = witnesses[p] }).ToArray();
        using var services = PartyServices.Start(NewFolder(), gates: p => gates[p]);
        var token = AnalystToken(services, "token0002");
        using var study = SecureStudy.Connect(services.ConfigPath, services.Credentials(PartyServices.Analyst), workToken: token);
        var join = study.Join(new JoinRequest { Datasets = ["harbour", "allotments"], Name = "ha" });
        Assert.All(witnesses, w => Assert.True(w.Rounds >= 2, $"{w.Rounds} rounds: at service start and after the join"));
        Assert.All(gates, g => Assert.Null(g.LogRefusal));

        // Party 1 is shown a head that does not extend the one it countersigned: the result at hand is withheld …
        witnesses[1].Forked = true;
        var withheld = Assert.Throws<StudyRefusedException>(() => study.Count("ha", "county"));
        Assert.Equal("LogConsistency", withheld.Rule);
        Assert.Contains("Fork:", withheld.Message);
        Assert.Equal(["query", "release"], logs[1].Records.Select(r => r.Kind));   // its entry was logged before the check
        // … and every later request is refused, naming both heads, though its witness would now countersign again.
        witnesses[1].Forked = false;
        int rounds = witnesses[1].Rounds;
        var refused = Assert.Throws<StudyRefusedException>(() => study.Count("ha"));
        Assert.Equal("LogConsistency", refused.Rule);
        Assert.Contains("party 1: refused (LogConsistency", refused.Message);
        Assert.Contains("does not extend tree head of registry", refused.Message);
        Assert.Equal(rounds, witnesses[1].Rounds);
        Assert.NotNull(gates[1].LogRefusal);
        Assert.Null(gates[0].LogRefusal);
    }

    /// <summary>A clock the test moves.</summary>
    sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now = DateTimeOffset.UtcNow;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Parties_refuse_a_token_revoked_at_the_registry_after_the_cached_list_ages_and_fail_closed_when_the_registry_is_gone()
    {
        var revokedAtRegistry = new List<string>();
        bool unreachable = false;
        int fetches = 0;
        IReadOnlyList<string> Fetch()
        {
            Interlocked.Increment(ref fetches);
            if (Volatile.Read(ref unreachable)) throw new Smpc.Analytics.Studies.Registry.RegistryException("The registry at https://registry.example/ cannot be reached: connection refused");
            lock (revokedAtRegistry) return [.. revokedAtRegistry];
        }
        var clock = new ManualClock();
        var check = new StudyTokenCheck { Registry = Registry.Public, Study = PartyServices.Study, Revoked = new HashSet<string> { "configured-id" } };
        using var services = PartyServices.Start(NewFolder(), gates: p => new PartyGate(check) { Revocations = new RegistryTokenRevocations(Fetch, "https://registry.example/", clock) });
        var links = services.RawLinks(PartyServices.Analyst);
        try
        {
            PartyReply Ask(string token)
            {
                var bytes = PartyWire.Encode(new PartyRequest { Op = PartyRequest.Datasets, Token = token });
                foreach (var l in links) l.Send(bytes);
                var replies = links.Select(l => JsonSerializer.Deserialize<PartyReply>(l.Receive(), PartyWire.Json)!).ToArray();
                Assert.All(replies, r => Assert.Equal(replies[0].Ok, r.Ok));
                Assert.All(replies, r => Assert.Equal(replies[0].Rule, r.Rule));
                return replies[0];
            }
            string lost = AnalystToken(services, "lost-laptop"), next = AnalystToken(services, "next-token");

            Assert.True(Ask(lost).Ok);
            Assert.Equal(3, fetches);                                                    // each party asked the registry
            Assert.Equal("TokenRevoked", Ask(AnalystToken(services, "configured-id")).Rule);   // the configured list still holds
            lock (revokedAtRegistry) revokedAtRegistry.Add("lost-laptop");
            Assert.True(Ask(lost).Ok);                                                   // the list is kept for 10 s …
            Assert.Equal(3, fetches);
            clock.Now += TimeSpan.FromSeconds(11);
            var refused = Ask(lost);                                                     // … then asked again: refused by all three
            Assert.Equal("TokenRevoked", refused.Rule);
            Assert.Contains("lost-laptop", refused.Error);
            Assert.True(Ask(next).Ok);

            // The registry cannot be asked: the last list serves for 2 minutes, then every party refuses (fail-closed).
            Volatile.Write(ref unreachable, true);
            clock.Now += TimeSpan.FromSeconds(30);
            Assert.True(Ask(next).Ok);
            Assert.Equal("TokenRevoked", Ask(lost).Rule);
            clock.Now += TimeSpan.FromSeconds(100);
            var closed = Ask(next);
            Assert.Equal("TokenRevocations", closed.Rule);
            Assert.Contains("https://registry.example/", closed.Error);
            Assert.Contains("connection refused", closed.Error);
            Volatile.Write(ref unreachable, false);
            Assert.True(Ask(next).Ok);                                                   // the registry answers again
        }
        finally
        {
            foreach (var l in links) l.Dispose();
        }
    }

    /// <summary>The registry's work token for the study's analyst, bound to the services' current terms.</summary>
    string AnalystToken(PartyServices services, string id)
    {
        var now = DateTime.UtcNow;
        return StudyToken.Issue(Registry, new StudyTokenClaims
        {
            Study = PartyServices.Study, Analyst = PartyServices.Analyst, Role = "analyst", Stage = "Analysis",
            Terms = services.Terms.ToDictionary(t => t.Key, t => TermsDocument.Hash(TermsDocument.Canonical(t.Value))),
            IssuedAt = now.AddMinutes(-1), Expires = now.AddMinutes(14), Id = id,
        });
    }
}
