using Smpc.Governance;

namespace Smpc.Registry.Tests.Governance;

/// <summary>The coordinator's critical path and "my studies" with status per organisation, on an injected clock.</summary>
public sealed class CriticalPathTests
{
    /// <summary>Terms documented on day 1; commitments on day 2 with the bank due by day 5, the VA by day 20, the
    /// institute by day 30; in Commitments from day 3; nobody has approved.</summary>
    static World Scheduled()
    {
        var w = new World();
        StudyLifecycle.DocumentTerms(w.Study, World.A(w.VaSteward), w.Veterans, World.Terms("veterans"), w.Day(1));
        StudyLifecycle.DocumentTerms(w.Study, World.A(w.BankSteward), w.BankData, World.Terms("bank"), w.Day(1));
        StudyLifecycle.Advance(w.Study, World.A(w.Coordinator), w.Day(2));
        StudyLifecycle.RecordCommitment(w.Study, World.A(w.Coordinator), w.Research, "coordinator", "analysis", DateOnly.FromDateTime(w.Day(30)), w.Day(2));
        StudyLifecycle.RecordCommitment(w.Study, World.A(w.VaContact), w.Va, "contributor", "veterans' file", DateOnly.FromDateTime(w.Day(20)), w.Day(2));
        StudyLifecycle.RecordCommitment(w.Study, World.A(w.BankContact), w.Bank, "contributor", "bank file", DateOnly.FromDateTime(w.Day(5)), w.Day(2));
        StudyLifecycle.Advance(w.Study, World.A(w.Coordinator), w.Day(3));
        return w;
    }

    [Fact]
    public void Overdue_approvals_come_first_with_days_waited_and_days_overdue()
    {
        var w = Scheduled();
        var path = CriticalPath.Of(w.Study, w.Day(12));
        Assert.Equal(12, path.DaysElapsed, 3);
        Assert.Equal(DateOnly.FromDateTime(w.Day(30)), path.PlannedEnd);   // no plan: the latest committed date
        Assert.Equal(18, path.DaysToPlannedEnd);
        Assert.Equal([("approve-terms", "Retail bank", 7), ("approve-terms", "Veterans' Administration", (int?)null)],
            path.Items.Select(i => (i.Kind, i.Organisation, i.DaysOverdue)).ToList());
        Assert.All(path.Items, i => Assert.Equal(11, i.DaysWaiting, 3));
        Assert.Equal(DateOnly.FromDateTime(w.Day(20)), path.Items[1].DueBy);

        // On day 25 the VA is overdue too, by 5 days: the bank (20 days overdue) still comes first.
        Assert.Equal([20, 5], CriticalPath.Of(w.Study, w.Day(25)).Items.Select(i => i.DaysOverdue!.Value));
    }

    [Fact]
    public void An_approval_leaves_the_path_and_uploads_join_it_once_approved()
    {
        var w = Scheduled();
        StudyLifecycle.ApproveTerms(w.Study, World.A(w.BankSteward), w.BankData, w.BankData.CurrentTerms!.Hash, w.Day(8));
        Assert.Equal(["Veterans' Administration"], CriticalPath.Of(w.Study, w.Day(9)).Items.Select(i => i.Organisation));
        StudyLifecycle.ApproveTerms(w.Study, World.A(w.VaSteward), w.Veterans, w.Veterans.CurrentTerms!.Hash, w.Day(9));
        StudyLifecycle.Advance(w.Study, World.A(w.Coordinator), w.Day(10));
        var path = CriticalPath.Of(w.Study, w.Day(10));
        Assert.Equal(["upload", "upload"], path.Items.Select(i => i.Kind));
        Assert.Equal("Retail bank", path.Items[0].Organisation);          // due day 5: overdue
    }

    [Fact]
    public void Missing_commitments_and_conflicts_are_on_the_path()
    {
        var w = new World();
        StudyLifecycle.DocumentTerms(w.Study, World.A(w.BankSteward), w.BankData, World.Terms("bank"), w.Day(1));
        StudyLifecycle.SetPlan(w.Study, World.A(w.Coordinator), new StudyPlan { ReleaseAudience = ["public"] }, w.Day(1));
        var kinds = CriticalPath.Of(w.Study, w.Day(4)).Items.Select(i => (i.Kind, i.Organisation)).ToList();
        Assert.Contains(("document-terms", "Veterans' Administration"), kinds);
        Assert.Contains(("conflict", "Retail bank"), kinds);
        Assert.Contains(("commitment", "Research institute"), kinds);
    }

    [Fact]
    public void My_studies_show_each_organisations_status_and_what_it_owes()
    {
        var w = Scheduled();
        StudyLifecycle.ApproveTerms(w.Study, World.A(w.VaSteward), w.Veterans, w.Veterans.CurrentTerms!.Hash, w.Day(4));
        var overview = StudyStatus.Of(w.Study, w.BankSteward.Id, DateOnly.FromDateTime(w.Day(5)));
        Assert.Equal([StudyRole.DataSteward], overview.MyRoles);
        Assert.Equal(StudyStage.Approved, overview.NextStage);
        var bank = overview.Organisations.Single(o => o.Name == "Retail bank");
        var va = overview.Organisations.Single(o => o.Name == "Veterans' Administration");
        Assert.True(bank.Committed);
        Assert.Equal([new DatasetStatus("bank", 1, false, false)], bank.Datasets);
        Assert.Equal([new DatasetStatus("veterans", 1, true, false)], va.Datasets);
        Assert.Single(bank.Owes, o => o.Contains("has not approved terms v1"));
        Assert.Empty(va.Owes);
        Assert.Empty(overview.Organisations.Single(o => o.Name == "Research institute").Datasets);
    }
}
