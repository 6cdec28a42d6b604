using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Smpc.Governance;

namespace Smpc.Registry.Tests.Governance;

/// <summary>A terms version is identified by the SHA-256 of its canonical JSON.</summary>
public sealed class TermsDocumentTests
{
    [Fact]
    public void Canonical_json_sorts_members_and_has_no_whitespace()
    {
        string canonical = TermsDocument.Canonical(World.Terms("bank"));
        Assert.DoesNotContain("\n", canonical);
        Assert.DoesNotContain(": ", canonical);
        var keys = JsonNode.Parse(canonical)!.AsObject().Select(p => p.Key).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        Assert.StartsWith("{\"access\":\"aggregates\",\"allowRevealGroupSizes\":false,", canonical);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), TermsDocument.Hash(canonical));
    }

    [Fact]
    public void Member_order_and_spacing_of_a_terms_file_do_not_change_the_hash_and_any_value_does()
    {
        var terms = World.Terms("survey");
        string canonical = TermsDocument.Canonical(terms);
        // The same document with members reversed and indented parses to the same terms and hash.
        var reversed = new JsonObject(JsonNode.Parse(canonical)!.AsObject().Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        var reparsed = TermsDocument.Parse(reversed.ToJsonString(new() { WriteIndented = true }));
        Assert.Equal(TermsDocument.Hash(canonical), TermsDocument.Hash(TermsDocument.Canonical(reparsed)));
        Assert.NotEqual(TermsDocument.Hash(canonical), TermsDocument.Hash(TermsDocument.Canonical(terms with { RoundingBase = 5 })));
        Assert.NotEqual(TermsDocument.Hash(canonical),
            TermsDocument.Hash(TermsDocument.Canonical(terms with { Redisclosure = terms.Redisclosure with { InternalUseOnly = true } })));
    }

    [Fact]
    public void The_diff_names_each_changed_field_by_its_path()
    {
        var before = World.Terms("bank");
        var after = before with
        {
            Redisclosure = before.Redisclosure with { InternalUseOnly = false, RedisclosureTo = ["statistics office"] },
            Expires = new DateOnly(2028, 6, 30),
            AllowedColumns = before.AllowedColumns.Where(c => c != "balance").ToList(),
        };
        var diff = TermsDiff.Between(TermsDocument.Canonical(before), TermsDocument.Canonical(after)).Select(c => c.ToString()).ToList();
        Assert.Equal(
            ["allowedColumns: -balance", "expires: \"2027-12-31\" -> \"2028-06-30\"", "redisclosure.internalUseOnly: true -> false", "redisclosure.redisclosureTo: +statistics office"],
            diff);
    }

    [Fact]
    public void Invalid_terms_are_refused_naming_the_field()
    {
        var w = new World();
        var e = Assert.Throws<TransitionRefusedException>(() =>
            StudyLifecycle.DocumentTerms(w.Study, World.A(w.BankSteward), w.BankData, World.Terms("bank") with { RoundingBase = 0 }, w.Day(1)));
        Assert.Contains("`roundingBase` is 0", e.Message);
        Assert.Throws<TransitionRefusedException>(() =>
            StudyLifecycle.DocumentTerms(w.Study, World.A(w.BankSteward), w.BankData, World.Terms("veterans"), w.Day(1)));
    }
}
