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
}
