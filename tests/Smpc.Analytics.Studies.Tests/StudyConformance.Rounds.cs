namespace Smpc.Analytics.Studies.Tests;

/// <summary>
/// The suite's rounds of releases on the synthetic study (the largest of the three parties' where they run apart). Rounds depend only on public facts (row counts, declared bounds, the
/// query), never on timing, so a regression shows as a failed bound. Before division and square root went to digits
/// of 8–12 bits (Statistics/SecureDivision.cs) and the p% rule's tournament to groups of eight (DominanceRule.cs), a
/// quotient bit cost 11 rounds: the mean by disability band took 470 rounds, the linked mean balance (with the p%
/// rule) 978 and the OLS fit on the linked table 3,088 (bench/RESULTS.md).
/// </summary>
public abstract partial class StudyConformance
{
    /// <summary>The rounds of <paramref name="release"/> before its opening to the analyst: where the parties open a release
    /// among themselves before sending it (party services), each opening to the analyst is one round more.</summary>
    long ComputeRounds(Release release) => release.Cost.Rounds - f.AnalystRevealRounds * release.Cost.ToAnalyst.Count();

    [Fact]
    public void A_mean_release_takes_a_fraction_of_the_rounds_of_bit_by_bit_division()
    {
        f.Secure.Count("veterans", "disability_band");   // at party services the first use of a stored category expands it (3–5 rounds): not the mean's
        var release = f.Secure.Mean("veterans", "monthly_benefit", "disability_band");
        Assert.InRange(ComputeRounds(release), 1, 51);                      // the mean's 41-bit division over 5 cells: 3 digits, 32 rounds
    }

    [Fact]
    public void A_mean_under_the_p_percent_rule_and_an_ols_fit_on_the_linked_table_stay_within_their_rounds()
    {
        var mean = f.Secure.Mean("vb", "balance", "disability_band");
        Assert.InRange(ComputeRounds(mean), 1, 150);                         // 146 (978 bit by bit, 183 with a tournament in groups of 8)
        var fit = f.Secure.Ols("vb", "balance", "monthly_benefit", "age");
        Assert.InRange(ComputeRounds(fit), 1, 260);                          // was 3,088; budget 150 not met
    }
}
