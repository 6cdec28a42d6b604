using Microsoft.DotNet.Interactive;

namespace Smpc.Analytics.Interactive.Tests.Kernel;

/// <summary><c>#!secure-join … --passes ssn,demographic,fuzzy --threshold t</c> from the magic, and its refusals.</summary>
public sealed class FuzzyJoinMagicTests : IDisposable
{
    readonly CompositeKernel _kernel = TestKernel.Create();

    public void Dispose() => _kernel.Dispose();

    [Fact]
    public async Task A_fuzzy_pass_after_the_exact_ones_runs_from_the_magic_with_its_threshold()
    {
        // On the secure engine the contributors in this process encode their identifiers when the join asks.
        (await _kernel.Run("#!secure-study --open demo --size 600 --engine secure --name fz")).ShouldSucceed();
        var join = await _kernel.Run("#!secure-join --datasets veterans,bank --passes ssn,demographic,fuzzy --threshold 0.9 --name vbf");
        join.ShouldSucceed();
        Assert.Contains(join.Html(), h => h.Contains("smpc-join") && h.Contains("fuzzy"));
        Assert.Equal("ssn,name-dob,fuzzy", (await _kernel.Run("string.Join(\",\", vbf.MatchCounts.Select(c => c.Pass))")).ReturnValue());
        Assert.Equal(0.9, (await _kernel.Run("vbf.Request.FuzzyThreshold")).ReturnValue());
        // A threshold that is no Dice coefficient, and one without a fuzzy pass, are refused with the rule.
        (await _kernel.Run("#!secure-join --datasets veterans,bank --passes ssn,fuzzy --threshold 2 --name x1")).Failure().ShouldMention("--threshold");
        (await _kernel.Run("#!secure-join --datasets veterans,bank --passes ssn --threshold 0.8 --name x2")).Failure().ShouldMention("fuzzy pass only");
        // At the party services the encoding must have been uploaded: the demo's schemas declare none, and the join says so.
        (await _kernel.Run("#!secure-study --open demo --size 300 --name services")).ShouldSucceed();
        (await _kernel.Run("#!secure-join --datasets veterans,bank --passes ssn,fuzzy --name x3")).Failure().ShouldMention("fuzzy encoding");
    }
}
