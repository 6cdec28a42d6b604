using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Smpc.Analytics.Columnar;
using Smpc.Governance;
using Smpc.Governance.DataUse;
using Smpc.Governance.Review;

namespace Smpc.Registry.Tests.Governance;

/// <summary>Terms that require a steward's review of releases (format 2, <c>outputReview</c>): validated, absent from the
/// canonical form when not set, stated in the brief, the ODRL export and the diff; and the sealed boxes releases travel in.</summary>
public sealed class OutputReviewTermsTests
{
    static readonly (string PublicKey, string PrivateKey) Steward = SealedBox.NewKeyPair();

    static DataUseTerms Reviewed(IReadOnlyList<string>? operations = null) =>
        World.Terms("bank") with { FormatVersion = 2, OutputReview = new OutputReview { ReviewerKey = Steward.PublicKey, Operations = operations } };

    [Fact]
    public void Terms_without_review_keep_their_canonical_form_and_hash()
    {
        var terms = World.Terms("bank");
        string canonical = TermsDocument.Canonical(terms);
        Assert.DoesNotContain("outputReview", canonical);
        Assert.Equal(TermsDocument.Hash(canonical), TermsDocument.Hash(TermsDocument.Canonical(TermsDocument.Parse(canonical))));
        Assert.Null(TermsDocument.Parse(canonical).OutputReview);
        var v2 = terms with { FormatVersion = 2 };
        Assert.DoesNotContain("outputReview", TermsDocument.Canonical(v2));
        Assert.Contains("\"outputReview\":{\"operations\":[\"mean\"],\"reviewerKey\":", TermsDocument.Canonical(Reviewed(["mean"])));
        Assert.Equal(Reviewed(["mean"]).OutputReview!.Operations, TermsDocument.Parse(TermsDocument.Canonical(Reviewed(["mean"]))).OutputReview!.Operations);
    }

    [Fact]
    public void Review_is_format_2_only_and_needs_a_p256_key_and_known_operations()
    {
        Reviewed().Validate();
        Reviewed(["mean", "count"]).Validate();
        var v1 = Assert.Throws<SchemaException>(() => (Reviewed() with { FormatVersion = null }).Validate());
        Assert.Contains("`outputReview` is a format-2 member", v1.Message);
        var noKey = Assert.Throws<SchemaException>(() => (Reviewed() with { OutputReview = new OutputReview() }).Validate());
        Assert.Contains("`outputReview.reviewerKey` is empty", noKey.Message);
        using var rsa = RSA.Create(2048);
        var wrongKey = Assert.Throws<SchemaException>(() => (Reviewed() with { OutputReview = new OutputReview { ReviewerKey = Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()) } }).Validate());
        Assert.Contains("`outputReview.reviewerKey` is not a P-256 public key", wrongKey.Message);
        var op = Assert.Throws<SchemaException>(() => Reviewed(["median"]).Validate());
        Assert.Contains("`outputReview.operations` lists unknown operation 'median'", op.Message);
        Assert.True(Reviewed().OutputReview!.Requires(["count"]));
        Assert.True(Reviewed(["mean"]).OutputReview!.Requires(["count", "MEAN"]));
        Assert.False(Reviewed(["mean"]).OutputReview!.Requires(["count"]));
    }

    [Fact]
    public void The_brief_the_odrl_export_and_the_diff_state_the_review()
    {
        var w = new World();
        StudyLifecycle.DocumentTerms(w.Study, World.A(w.BankSteward), w.BankData, World.Terms("bank") with { FormatVersion = 2 }, w.Day(1));
        StudyLifecycle.DocumentTerms(w.Study, World.A(w.BankSteward), w.BankData, Reviewed(["mean"]), w.Day(2));
        var v1 = w.BankData.TermsVersions.Single(v => v.Version == 1);
        var v2 = w.BankData.CurrentTerms!;
        var brief = TermsBrief.Of(w.BankData, v2);
        var lines = brief.Sections.SelectMany(s => s.Lines).ToList();
        Assert.Contains(lines, l => l.StartsWith("Every release of these operations (mean) is reviewed by the data steward") && l.Contains(SealedBox.Fingerprint(Steward.PublicKey)));
        Assert.DoesNotContain(TermsBrief.Of(w.BankData, v1).Sections.SelectMany(s => s.Lines), l => l.Contains("reviewed by the data steward"));
        Assert.Contains(brief.Sections.Single(s => s.Heading.StartsWith("Changes")).Lines, l => l.StartsWith("outputReview"));
        Assert.Contains(TermsDiff.Between(v1.CanonicalJson, v2.CanonicalJson), c => c.Field.StartsWith("outputReview"));

        var policy = JsonNode.Parse(OdrlPolicy.Of(w.BankData, v2).ToJsonString())!.AsObject();
        var analysis = policy["permission"]!.AsArray().OfType<JsonObject>().Single(r => r["uid"]!.GetValue<string>().EndsWith(":analysis"));
        var duty = analysis["duty"]!.AsArray().OfType<JsonObject>().Single(d => d["action"]!.GetValue<string>() == "urn:smpc:terms:outputReview");
        Assert.Contains("\"mean\"", duty["constraint"]!.ToJsonString());
        var before = JsonNode.Parse(OdrlPolicy.Of(w.BankData, v1).ToJsonString())!.AsObject();
        Assert.DoesNotContain("outputReview", before.ToJsonString());
    }

    [Fact]
    public void A_held_release_waits_on_the_stewards_of_its_dataset_only()
    {
        var w = new World();
        var held = new PendingReview(w.Study.Id, w.BankData.Id, "0123456789abcdef0123456789abcdef", "mean of 'balance' on 'bank'", "analyst@example", w.Day(3));
        var item = Assert.Single(MyActions.For(w.BankSteward, [w.Study], w.Day(5), [held]), a => a.Kind == "review-release");
        Assert.Equal(w.Day(3), item.Since);
        Assert.Equal($"/studies/{w.Study.Id}/datasets/{w.BankData.Id}/reviews", item.Page);
        Assert.Contains("analyst@example", item.Text);
        Assert.DoesNotContain(MyActions.For(w.VaSteward, [w.Study], w.Day(5), [held]), a => a.Kind == "review-release");
        Assert.DoesNotContain(MyActions.For(w.Analyst, [w.Study], w.Day(5), [held]), a => a.Kind == "review-release");
        Assert.Null(StudyPermissions.Check(World.A(w.BankSteward), StudyAction.ReviewRelease, w.Study, w.Bank.Id));
        Assert.NotNull(StudyPermissions.Check(World.A(w.VaSteward), StudyAction.ReviewRelease, w.Study, w.Bank.Id));
        Assert.NotNull(StudyPermissions.Check(World.A(w.Analyst), StudyAction.ReviewRelease, w.Study, w.Bank.Id));
    }

    [Fact]
    public void A_sealed_box_opens_only_with_its_key_and_context()
    {
        var analyst = SealedBox.NewKeyPair();
        var box = SealedBox.Seal(Encoding.UTF8.GetBytes("released table"), analyst.PublicKey, "review r1");
        Assert.Equal("released table", Encoding.UTF8.GetString(SealedBox.Open(box, analyst.PrivateKey, "review r1")));
        Assert.DoesNotContain("released", Encoding.UTF8.GetString(Convert.FromBase64String(box)));
        Assert.ThrowsAny<CryptographicException>(() => SealedBox.Open(box, Steward.PrivateKey, "review r1"));
        Assert.ThrowsAny<CryptographicException>(() => SealedBox.Open(box, analyst.PrivateKey, "review r2"));
        var bytes = Convert.FromBase64String(box);
        bytes[^1] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => SealedBox.Open(Convert.ToBase64String(bytes), analyst.PrivateKey, "review r1"));
    }
}
