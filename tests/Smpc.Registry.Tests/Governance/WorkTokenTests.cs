using Smpc.Governance;
using Smpc.Governance.Gating;
using Smpc.Governance.Transparency;
using static Smpc.Registry.Tests.Governance.World;

namespace Smpc.Registry.Tests.Governance;

/// <summary>Registry-gated computation: the registry issues a work token only to the study's analyst in its analysis
/// stage under approved, unexpired terms; a compute party checks it offline and refuses, naming the rule, a token that
/// is forged, altered, expired, revoked, for another study, for another analyst, or for terms other than it holds.</summary>
public sealed class WorkTokenTests
{
    static readonly LogKey Registry = LogKey.Generate("registry");

    static World InAnalysis()
    {
        var w = new World().ToApproved();
        StudyLifecycle.RecordUpload(w.Study, A(w.VaSteward), w.Veterans, new string('a', 64), w.Day(5));
        StudyLifecycle.RecordUpload(w.Study, A(w.BankSteward), w.BankData, new string('b', 64), w.Day(5));
        StudyLifecycle.Advance(w.Study, A(w.Coordinator), w.Day(6));
        StudyLifecycle.Advance(w.Study, A(w.Coordinator), w.Day(6));
        Assert.Equal(StudyStage.Analysis, w.Study.Stage);
        return w;
    }

    static StudyTokenCheck Party(World w) => new() { Registry = Registry.Public, Study = w.Study.Id.ToString() };

    static Dictionary<string, string> Held(World w) => new()
    {
        ["veterans"] = w.Veterans.CurrentTerms!.Hash, ["bank"] = w.BankData.CurrentTerms!.Hash,
    };

    [Fact]
    public void The_registry_issues_tokens_only_to_the_analyst_in_the_analysis_stage()
    {
        var approved = new World().ToApproved();
        Assert.Equal("StudyStage", Assert.Throws<StudyTokenRefusal>(() => WorkTokens.Issue(Registry, approved.Study, A(approved.Analyst), "alex", approved.Day(5))).Rule);
        var w = InAnalysis();
        Assert.Equal("NotAnalyst", Assert.Throws<StudyTokenRefusal>(() => WorkTokens.Issue(Registry, w.Study, A(w.Coordinator), "coord", w.Day(7))).Rule);
        Assert.Equal("NotAnalyst", Assert.Throws<StudyTokenRefusal>(() => WorkTokens.Issue(Registry, w.Study, A(w.Outsider), "outsider", w.Day(7))).Rule);
        var token = WorkTokens.Issue(Registry, w.Study, A(w.Analyst), "alex.rivera@research.example", w.Day(7));
        var claims = Party(w).Check(token, "alex.rivera@research.example", Held(w), w.Day(7).AddMinutes(5));
        Assert.Equal(w.Veterans.CurrentTerms!.Hash, claims.Terms["veterans"]);
        Assert.Equal(w.Day(7) + WorkTokens.DefaultLifetime, claims.Expires);
    }

    [Fact]
    public void Expired_terms_stop_issuing_and_bound_a_token_s_life()
    {
        var w = InAnalysis();
        var expiry = w.BankData.CurrentTerms!.Terms.Expires;
        Assert.NotNull(expiry);
        var lastDay = expiry!.Value.ToDateTime(new TimeOnly(23, 55), DateTimeKind.Utc);
        var late = Party(w).Check(WorkTokens.Issue(Registry, w.Study, A(w.Analyst), "alex", lastDay), "alex", Held(w), lastDay);
        Assert.True(late.Expires < lastDay.AddMinutes(5));
        Assert.Equal("TermsExpired", Assert.Throws<StudyTokenRefusal>(() => WorkTokens.Issue(Registry, w.Study, A(w.Analyst), "alex", lastDay.AddDays(1))).Rule);
    }

    [Fact]
    public void A_party_refuses_each_bad_token_with_its_rule()
    {
        var w = InAnalysis();
        var now = w.Day(7);
        string token = WorkTokens.Issue(Registry, w.Study, A(w.Analyst), "alex", now);
        var party = Party(w);
        string Rule(Action a) => Assert.Throws<StudyTokenRefusal>(a).Rule;

        Assert.Equal("TokenExpired", Rule(() => party.Check(token, "alex", Held(w), now.AddMinutes(30))));
        Assert.Equal("TokenAnalyst", Rule(() => party.Check(token, "mallory", Held(w), now)));
        Assert.Equal("TokenStudy", Rule(() => (party with { Study = Guid.NewGuid().ToString() }).Check(token, "alex", Held(w), now)));
        var claims = StudyToken.Open(token, Registry.Public);
        Assert.Equal("TokenRevoked", Rule(() => (party with { Revoked = new HashSet<string> { claims.Id } }).Check(token, "alex", Held(w), now)));
        var otherTerms = Held(w);
        otherTerms["bank"] = new string('0', 64);
        Assert.Equal("TermsVersion", Rule(() => party.Check(token, "alex", otherTerms, now)));
        Assert.Equal("TermsNotApproved", Rule(() => party.Check(token, "alex", new Dictionary<string, string> { ["survey"] = "x" }, now)));

        var forged = StudyToken.Issue(LogKey.Generate("registry"), claims);
        Assert.Equal("TokenSignature", Rule(() => party.Check(forged, "alex", Held(w), now)));
        // Claims edited after signing (the analyst swapped in, the expiry pushed back) break the signature.
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        foreach (var change in new[] { claims with { Expires = now.AddDays(30) }, claims with { Analyst = "mallory" } })
        {
            var edited = StudyToken.Issue(LogKey.Generate("x"), change).Split('.');
            Assert.Equal("TokenSignature", Rule(() => party.Check($"{parts[0]}.{edited[1]}.{parts[2]}", change.Analyst, Held(w), now)));
        }
        Assert.Equal("TokenMalformed", Rule(() => party.Check("Bearer something", "alex", Held(w), now)));
        var longLived = StudyToken.Issue(Registry, claims with { Expires = claims.IssuedAt.AddDays(2) });
        Assert.Equal("TokenLifetime", Rule(() => party.Check(longLived, "alex", Held(w), now)));
    }
}
