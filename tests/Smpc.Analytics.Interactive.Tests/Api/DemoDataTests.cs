using Smpc.Analytics.Interactive.Demo;

namespace Smpc.Analytics.Interactive.Tests.Api;

public sealed class DemoDataTests
{
    [Fact]
    public void The_same_seed_gives_the_same_data_and_another_seed_other_data()
    {
        var a = DemoData.Generate(300, 7);
        var b = DemoData.Generate(300, 7);
        var c = DemoData.Generate(300, 8);
        Assert.Equal(a.Veterans, b.Veterans);
        Assert.Equal(a.Bank, b.Bank);
        Assert.NotEqual(a.Veterans, c.Veterans);
    }

    [Fact]
    public void Populations_overlap_and_some_identifiers_are_missing()
    {
        var d = DemoData.Generate(5000, 3);
        var bank = d.Bank.Select(x => x.Ssn).ToHashSet();
        int both = d.Veterans.Count(v => v.Ssn is not null && bank.Contains(v.Ssn));
        Assert.InRange(both, 2500, 3500);
        Assert.Contains(d.Veterans, v => v.Ssn is null);
    }

    [Fact]
    public void Pseudonyms_are_keyed_equal_for_format_variants_and_never_zero()
    {
        var key = new byte[32];
        Assert.Equal(DemoContributors.Pseudonym("123-45-6789", key), DemoContributors.Pseudonym("123 45 6789", key));
        Assert.NotEqual(DemoContributors.Pseudonym("123-45-6789", key), DemoContributors.Pseudonym("123-45-6789", Enumerable.Repeat((byte)1, 32).ToArray()));
        Assert.Null(DemoContributors.Pseudonym(null, key));
        Assert.Null(DemoContributors.Pseudonym("12-345", key));
    }
}
