using Smpc.Analytics.Linkage;
using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>The suite's joins: keyed-hash and OPRF pseudonyms, inner, left and three-way joins, and statistics on linked data.</summary>
public abstract partial class StudyConformance
{
    [Fact]
    public void The_linkage_finds_almost_every_true_pair_and_releases_only_match_counts_to_the_analyst()
    {
        double persons = f.Truth.Number("overlap.persons.veterans_bank");
        Assert.InRange(f.SecureJoin.JoinedRows!.Value, 0.97 * persons, persons + 2);      // released rounded to the bank's base 5
        Assert.Equal([LinkageKeyKind.Ssn, LinkageKeyKind.NameDateOfBirth], f.SecureJoin.Passes);   // the bank does not record sex
        // Each size is rounded on its own (to 5): the total and the sum of the passes agree within the rounding.
        Assert.InRange(f.SecureJoin.JoinedRows!.Value - f.SecureJoin.MatchCounts.Sum(c => c.Count!.Value), -5, 5);
        Assert.True(f.SecureJoin.MatchCounts[0].Count > 10 * f.SecureJoin.MatchCounts[1].Count);
        var toAnalyst = f.SecureJoin.Cost.ToAnalyst.ToList();
        Assert.Single(toAnalyst);
        Assert.Contains("matches per pass", toAnalyst[0].Purpose);
        Assert.Contains(f.SecureJoin.Cost.ToComputeParties, r => r.Purpose.Contains("shuffled pseudonyms"));
        Assert.Equal(f.PlainJoin.JoinedRows, f.SecureJoin.JoinedRows);
        Assert.Equal(f.PlainJoin.MatchCounts, f.SecureJoin.MatchCounts);
    }

    [Fact]
    public void A_three_way_join_keeps_the_recall_of_every_pass()
    {
        // Each other table is linked to the veterans with both passes, then the pairs are matched on random row tags:
        // a veteran whose bank record links on the SSN and whose survey record links only on name + date of birth stays.
        var join = f.Secure.Join(new JoinRequest { Datasets = ["veterans", "bank", "survey"], Name = "vbs" });
        double persons = f.Truth.Number("overlap.persons.all_three");
        Assert.InRange(join.JoinedRows!.Value, 0.9 * persons, persons + 5);                // rounded to the survey's base 10
        Assert.DoesNotContain("__study_row_tag", join.Columns);
        Assert.Contains(join.Cost.ToComputeParties, r => r.Purpose.Contains("row tag"));
        var means = f.Secure.Query("vbs").Aggregate([StatisticKind.Mean], "balance", "monthly_benefit");
        Assert.True(Math.Abs(means.Cell("mean(balance)", Release.AllLabel)!.Value / f.Truth.Number("aggregates.linked.all_three.mean_balance") - 1) < 0.05);
    }

    [Fact]
    public void Linked_statistics_agree_with_the_true_linkage()
    {
        var byBand = f.Secure.Mean("vb", "balance", "disability_band");
        foreach (var (band, mean) in f.Truth.Numbers("aggregates.linked.veterans_bank.mean_balance_by_disability_band"))
            Assert.True(Math.Abs(byBand.Cell("mean(balance)", band)!.Value / mean - 1) < 0.03, $"{band}: {byBand.Cell("mean(balance)", band)} vs {mean}");

        var fit = f.Secure.Ols("vb", "balance", "monthly_benefit", "age");
        var truth = f.Truth.Element("aggregates.linked.veterans_bank.ols_balance_on_monthly_benefit_and_age");
        var coefficients = truth.GetProperty("coefficients").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        var errors = truth.GetProperty("standard_errors").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        string[] terms = ["(intercept)", "monthly_benefit", "age"];
        for (int j = 0; j < 3; j++)
            Assert.True(Math.Abs(fit.Cell("coefficient", terms[j])!.Value - coefficients[j]) < 0.25 * errors[j], $"{terms[j]}: {fit.Cell("coefficient", terms[j])} vs {coefficients[j]}");
    }

    [Fact]
    public void Secure_and_plaintext_engines_release_the_same_tables_on_linked_data()
    {
        foreach (var (secure, plain) in new[]
                 {
                     (f.Secure.Count("vb", "service_era", "sex"), f.Plain.Count("vb", "service_era", "sex")),
                     (f.Secure.Mean("vb", "monthly_deposits", "disability_band"), f.Plain.Mean("vb", "monthly_deposits", "disability_band")),
                 })
            AssertSameTable(plain, secure);
    }

    [Fact]
    public void On_linked_data_the_bank_p_percent_rule_protects_the_bank_columns_only()
    {
        var benefit = f.Secure.Mean("vb", "monthly_benefit", "disability_band");
        var balance = f.Secure.Mean("vb", "balance", "disability_band");
        Assert.DoesNotContain(benefit.Cost.ToComputeParties, r => r.Purpose.StartsWith("p% rule"));
        Assert.Contains(balance.Cost.ToComputeParties, r => r.Purpose.StartsWith("p% rule"));
        Assert.Contains(balance.RulesApplied, r => r.Contains("p% dominance rule for sums of") && r.Contains("balance") && !r.Contains("monthly_benefit"));
    }
    [Fact]
    public void Oprf_and_keyed_hash_pseudonyms_link_the_same_rows()
    {
        var request = new JoinRequest { Datasets = ["veterans", "bank"], Pseudonymiser = PseudonymiserKind.Oprf, Name = "vb_oprf" };
        if (f.UploadScheme is { } uploaded)
        {
            // The contributors pseudonymised at upload: every join uses their scheme, and a join that asks for another
            // pseudonymiser is refused with the scheme named (never run under a scheme its pseudonyms do not have).
            Assert.Equal(uploaded, f.SecureJoin.Scheme);
            var e = Assert.ThrowsAny<SmpcException>(() => f.Secure.Join(request));
            Assert.Contains(uploaded, e.Message);
            return;
        }
        var oprf = f.Secure.Join(request);
        Assert.Equal("hmac-sha256/64", f.SecureJoin.Scheme);
        Assert.Equal("2hashdh-x25519/64", oprf.Scheme);
        Assert.Equal(f.SecureJoin.MatchCounts, oprf.MatchCounts);
        Assert.Equal(f.PlainJoin.JoinedRows, oprf.JoinedRows);
        Assert.Equal(f.Secure.Count("vb", "service_era")["count"], f.Secure.Count("vb_oprf", "service_era")["count"]);
        // The OPRF ran at the compute parties over their links: its traffic is part of the join's cost.
        Assert.True(oprf.Cost.Bytes > f.SecureJoin.Cost.Bytes);
    }

    [Fact]
    public void A_left_join_keeps_every_base_row_and_its_statistics_use_the_linked_rows_only()
    {
        var request = new JoinRequest { Datasets = ["veterans", "bank"], Kind = JoinKind.Left, Name = "vb_left" };
        var left = f.Secure.Join(request);
        var plain = f.Plain.Join(request);
        Assert.Equal(plain.JoinedRows, left.JoinedRows);
        Assert.Equal(plain.MatchCounts, left.MatchCounts);
        Assert.InRange(left.JoinedRows!.Value, 0.97 * 8000, 8000 + 2);                  // every veteran stays (rounded to 5)
        Assert.Contains("matched", left.Columns);
        // The sum of the 0/1 'matched' column is the inner join's size, rounded like it.
        Assert.Equal(f.SecureJoin.JoinedRows!.Value, f.Secure.Sum("vb_left", "matched").Cell("sum(matched)")!.Value);
        AssertSameTable(f.Plain.Mean("vb_left", "balance", "service_era"), f.Secure.Mean("vb_left", "balance", "service_era"));
    }

    /// <summary>Same cells, statuses and rules; values within the fixed-point tolerance of the plaintext engine's.</summary>
    static void AssertSameTable(Release plain, Release secure)
    {
        Assert.Equal(plain.RowCount, secure.RowCount);
        for (int r = 0; r < secure.RowCount; r++)
        {
            Assert.Equal(plain.Label(r), secure.Label(r));
            Assert.Equal(plain.IsSuppressed(r), secure.IsSuppressed(r));
            Assert.Equal(plain.Rule(r), secure.Rule(r));
            foreach (var v in secure.ValueColumns)
                if (plain.Value(r, v) is { } p) Assert.True(Math.Abs(secure.Value(r, v)!.Value - p) <= MeanTolerance, $"{secure.Label(r)} {v}: {secure.Value(r, v)} vs {p}");
                else Assert.Null(secure.Value(r, v));
        }
    }
}
