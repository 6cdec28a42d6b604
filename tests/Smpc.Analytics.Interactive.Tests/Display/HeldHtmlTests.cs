using Smpc.Analytics.Interactive.Display;
using Smpc.Analytics.Studies.Parties;

namespace Smpc.Analytics.Interactive.Tests.Display;

/// <summary>The held-release notice names each reviewing steward and dataset, the release id and the command that fetches
/// it, links the study's page at the registry signed in to (or says to sign in), and encodes every value.</summary>
public sealed class HeldHtmlTests
{
    static ReleaseUnderReviewException Held(string operation, string steward) => new(new ReviewWire("00112233445566778899aabbccddeeff",
        [new ReviewerWire("veterans", steward), new ReviewerWire("bank", "Bank governance office")], new string('a', 64), 4, null, operation, "mean of 'x' <on> 'veterans'"), "held");

    [Fact]
    public void It_names_the_stewards_the_id_the_registry_page_and_the_fetch_command()
    {
        var html = HeldHtml.Of(Held(PartyRequest.AggregateOp, "VA <data> office"), new Uri("https://registry.example/"), "5d0c");
        Assert.Contains("The release was computed and is held", html);
        Assert.Contains("VA &lt;data&gt; office — dataset <code>veterans</code>", html);
        Assert.Contains("Bank governance office — dataset <code>bank</code>", html);
        Assert.Contains("mean of &#39;x&#39; &lt;on&gt; &#39;veterans&#39;", html);
        Assert.DoesNotContain("<data>", html);
        Assert.Contains("<code class=\"smpc-release-id\">00112233445566778899aabbccddeeff</code>", html);
        Assert.Contains("<a href=\"https://registry.example/studies/5d0c\"", html);
        Assert.Contains("#!secure-release --id 00112233445566778899aabbccddeeff --wait 600", html);
    }

    [Fact]
    public void A_join_names_its_counts_and_without_a_registry_it_says_to_sign_in()
    {
        var html = HeldHtml.Of(Held(PartyRequest.JoinOp, "VA data office"), null, null);
        Assert.Contains("The join was computed; its counts (joined rows, matches per pass) are held", html);
        Assert.Contains("#!secure-study --registry URL --study ID", html);
        Assert.DoesNotContain("<a href", html);
    }
}
