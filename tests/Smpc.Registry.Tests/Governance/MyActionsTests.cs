using Smpc.Governance;
using static Smpc.Registry.Tests.Governance.World;

namespace Smpc.Registry.Tests.Governance;

/// <summary>"My actions": what waits on each person, since when, and that it goes away once done.</summary>
public sealed class MyActionsTests
{
    [Fact]
    public void Each_person_sees_what_waits_on_them_since_when()
    {
        var w = new World();
        var now = w.Day(30);
        Assert.Equal(["Document the terms of dataset 'bank'"], MyActions.For(w.BankSteward, [w.Study], now).Select(a => a.Text));
        Assert.Equal(w.T0, MyActions.For(w.BankSteward, [w.Study], now)[0].Since);
        Assert.Equal(TimeSpan.FromDays(30), MyActions.For(w.BankSteward, [w.Study], now)[0].Waited(now));

        StudyLifecycle.DocumentTerms(w.Study, A(w.BankSteward), w.BankData, Terms("bank"), w.Day(3));
        var approve = Assert.Single(MyActions.For(w.BankSteward, [w.Study], now));
        Assert.Equal($"Approve terms {w.BankData.CurrentTerms!.Label} of dataset 'bank'", approve.Text);
        Assert.Equal(w.Day(3), approve.Since);

        // The bank's point of contact is not a member but owes the commitment.
        Assert.Equal(["commitment"], MyActions.For(w.BankContact, [w.Study], now).Select(a => a.Kind));
        Assert.Empty(MyActions.For(w.Outsider, [w.Study], now));
        Assert.Empty(MyActions.For(w.Analyst, [w.Study], now));
    }

    [Fact]
    public void The_coordinator_is_told_when_the_next_stage_can_be_entered_and_actions_empty_when_done()
    {
        var w = new World().ToApproved();
        Assert.Empty(MyActions.For(w.Coordinator, [w.Study], w.Day(5)));
        Assert.Equal(["upload"], MyActions.For(w.VaSteward, [w.Study], w.Day(5)).Select(a => a.Kind));
        StudyLifecycle.RecordUpload(w.Study, A(w.VaSteward), w.Veterans, new string('a', 64), w.Day(5));
        StudyLifecycle.RecordUpload(w.Study, A(w.BankSteward), w.BankData, new string('b', 64), w.Day(5));
        Assert.Empty(MyActions.For(w.VaSteward, [w.Study], w.Day(5)));
        var advance = Assert.Single(MyActions.For(w.Coordinator, [w.Study], w.Day(6)));
        Assert.Equal("Move the study to DataCommitted: its entry criteria are met", advance.Text);
    }
}
