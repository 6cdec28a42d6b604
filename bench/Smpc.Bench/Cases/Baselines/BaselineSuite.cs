using Smpc.Bench.Harness;

namespace Smpc.Bench.Cases.Baselines;

/// <summary>
/// Earlier implementations (<see cref="BaselineProtocols"/>) as bench cases that run only when named,
/// e.g. <c>--filter compare-inproc,compare-fulladder-inproc</c>, so RESULTS.md can give same-run ratios.
/// </summary>
public sealed class BaselineSuite : CoreProtocolSuite
{
    public BaselineSuite() : base(BenchTransport.InProcess) { }

    public override IEnumerable<IBenchCase> Cases()
    {
        var t = BenchTransport.InProcess;
        yield return Binary("mul-unfused", t, "multiplication with column-length zero-share arrays (before block folding)", 10_000_000, bits: 63,
            BaselineProtocols.MultiplyUnfused, (a, b) => a * b).AsVariant();
        yield return CompareCase("compare-fulladder", t, "less-than by a full 64-bit Kogge–Stone adder (before the carry tree)",
            (s, x, y) => BaselineProtocols.SignBitFullAdder(s, Smpc.Analytics.Protocols.Linear.Subtract(x, y))).AsVariant();
        yield return ShuffleCase("shuffle10-onemessage", t, 10, BaselineProtocols.ShuffleOneMessagePerPass).AsVariant();
    }
}
