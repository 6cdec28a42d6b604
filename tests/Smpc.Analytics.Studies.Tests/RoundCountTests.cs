namespace Smpc.Analytics.Studies.Tests;

/// <summary>
/// Rounds of releases on the synthetic study. Rounds depend only on public facts (row counts, declared bounds, the
/// query), never on timing, so they are asserted exactly enough to catch a regression. Before division and square root
/// went to radix 2^8 (Statistics/SecureDivision.cs) a quotient bit cost 11 rounds: the mean by disability band took 470
/// rounds, the linked mean balance (with the p% rule) 978 and the OLS fit on the linked table 3,088.
/// </summary>
public sealed class RoundCountTests(SyntheticStudyFixture f) : IClassFixture<SyntheticStudyFixture>
{
    [Fact]
    public void A_mean_release_takes_a_fraction_of_the_rounds_of_bit_by_bit_division()
    {
        var release = f.Secure.Mean("veterans", "monthly_benefit", "disability_band");
        Assert.InRange(release.Cost.Rounds, 1, 90);                       // 84: the mean's 41-bit division is 65 rounds
    }

    [Fact]
    public void A_mean_under_the_p_percent_rule_and_an_ols_fit_on_the_linked_table_stay_within_their_rounds()
    {
        var mean = f.Secure.Mean("vb", "balance", "disability_band");
        Assert.InRange(mean.Cost.Rounds, 1, 300);                          // was 978
        var fit = f.Secure.Ols("vb", "balance", "monthly_benefit", "age");
        Assert.InRange(fit.Cost.Rounds, 1, 900);                           // was 3,088
    }
}
