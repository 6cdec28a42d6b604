using Smpc.Analytics.Studies.Parties;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>The mesh-start store identity check: the three parties' lists of contributions (dataset, upload id).</summary>
public sealed class StoreAgreementTests
{
    const string Both = "claims u-2\nvisits u-1";

    [Fact]
    public void Identical_stores_agree_including_empty_ones()
    {
        Assert.Null(StoreAgreement.Compare("s", [Both, Both, Both]));
        Assert.Null(StoreAgreement.Compare("s", ["", "", ""]));
    }

    [Fact]
    public void A_party_restarted_with_an_empty_store_is_named()
    {
        var reason = StoreAgreement.Compare("s", [Both, "", Both]);
        Assert.NotNull(reason);
        Assert.Contains("party 1 holds nothing of 'claims', parties 0 and 2 hold upload u-2", reason);
        Assert.Contains("party 1 holds nothing of 'visits', parties 0 and 2 hold upload u-1", reason);
        Assert.Contains("Party 1's store holds no contribution of the study: was it restarted with an empty or another store?", reason);
    }

    [Fact]
    public void Another_upload_of_a_dataset_and_a_three_way_difference_are_named()
    {
        var reason = StoreAgreement.Compare("s", [Both, Both, "claims u-9\nvisits u-1"]);
        Assert.Contains("party 2 holds upload u-9 of 'claims', parties 0 and 1 hold upload u-2", reason);
        Assert.DoesNotContain("'visits'", reason);
        Assert.DoesNotContain("restarted with an empty", reason);
        reason = StoreAgreement.Compare("s", ["visits a", "visits b", ""]);
        Assert.Contains("the parties hold different uploads of 'visits' (party 0: upload a; party 1: upload b; party 2: nothing)", reason);
    }
}
