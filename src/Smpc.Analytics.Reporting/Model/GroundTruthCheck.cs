namespace Smpc.Analytics.Reporting;

/// <summary>Outcome of one ground-truth check.</summary>
public enum CheckOutcome
{
    Pass,
    Fail,
    /// <summary>The number was suppressed by disclosure control (or its query refused), so there is nothing to check; not a failure.</summary>
    NotReleased,
}

/// <summary>
/// One key number of the study compared with the plaintext ground truth: the expected value, the released value
/// (null when it was suppressed or refused), the allowed difference and why that much.
/// </summary>
public sealed record GroundTruthCheck(string What, double Expected, double? Actual, double Tolerance, string Basis)
{
    public CheckOutcome Outcome => Actual is not { } a ? CheckOutcome.NotReleased
        : Math.Abs(a - Expected) <= Tolerance ? CheckOutcome.Pass : CheckOutcome.Fail;

    public bool Passed => Outcome == CheckOutcome.Pass;
    public bool Failed => Outcome == CheckOutcome.Fail;
}
