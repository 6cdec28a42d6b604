using Smpc.Governance.DataUse;
using Smpc.Governance;

namespace Smpc.Registry.Tests.Governance;

/// <summary>The draft-time conflict check: each kind is flagged with its clause, blocks leaving draft and blocks the
/// steward's approval; a plan within the terms raises nothing.</summary>
public sealed class TermsConflictTests
{
    static readonly string[] Ops = ["count", "mean", "join"];

    static World Documented(StudyPlan? plan = null, DataUseTerms? bankTerms = null)
    {
        var w = new World();
        StudyLifecycle.DocumentTerms(w.Study, World.A(w.VaSteward), w.Veterans, World.Terms("veterans"), w.Day(1));
        StudyLifecycle.DocumentTerms(w.Study, World.A(w.BankSteward), w.BankData, bankTerms ?? World.Terms("bank"), w.Day(1));
        if (plan is not null) StudyLifecycle.SetPlan(w.Study, World.A(w.Coordinator), plan, w.Day(1));
        return w;
    }

    [Fact]
    public void A_plan_within_every_terms_raises_no_conflict()
    {
        var w = Documented(new StudyPlan { ReleaseAudience = ["study team"], Operations = Ops, PlannedEnd = new DateOnly(2027, 6, 30) });
        Assert.Empty(TermsConflicts.Of(w.Study));
        StudyLifecycle.Advance(w.Study, World.A(w.Coordinator), w.Day(2));
        Assert.Equal(StudyStage.TermsDocumented, w.Study.Stage);
    }

    [Fact]
    public void The_banks_internal_use_only_against_a_multi_agency_release_is_flagged_and_blocks_the_study()
    {
        var w = Documented(new StudyPlan { ReleaseAudience = ["study team", "public", "other agencies"], Operations = Ops });
        var conflicts = TermsConflicts.Of(w.Study);
        // Veterans' terms allow "public, after disclosure review" but not "other agencies"; the bank allows neither.
        Assert.Equal(
            [("bank", "redisclosure.internalUseOnly", "public"), ("bank", "redisclosure.internalUseOnly", "other agencies"),
             ("veterans", "redisclosure.redisclosureTo", "other agencies")],
            conflicts.Select(c => (c.Dataset, c.Clause, c.Text.Split('\'')[1])).ToList());
        Assert.All(conflicts, c => Assert.Equal("audience", c.Kind));
        var e = Assert.Throws<TransitionRefusedException>(() => StudyLifecycle.Advance(w.Study, World.A(w.Coordinator), w.Day(2)));
        Assert.Contains("terms v1 of 'bank' (redisclosure.internalUseOnly): the study plans to release results to 'public'", e.Message);
        Assert.Equal(StudyStage.Draft, w.Study.Stage);
        Assert.Contains(w.Study.Events, ev => ev.Kind == "conflict" && ev.Text.Contains("'bank'"));
    }

    [Fact]
    public void An_operation_the_terms_forbid_is_flagged_with_allowed_operations()
    {
        var w = Documented(new StudyPlan { ReleaseAudience = ["study team"], Operations = ["count", "quantile"] });
        var c = Assert.Single(TermsConflicts.Of(w.Study));   // the veterans' terms allow quantiles, the bank's do not
        Assert.Equal(("bank", "operation", "allowedOperations"), (c.Dataset, c.Kind, c.Clause));
        Assert.Contains("'quantile'", c.Text);
    }

    [Fact]
    public void A_partner_outside_the_allowed_recipients_is_flagged_even_without_a_plan()
    {
        var bank = World.Terms("bank") with
        {
            FormatVersion = 2,
            Redisclosure = World.Terms("bank").Redisclosure with { ProjectRecipients = ["research"] },
        };
        var w = Documented(bankTerms: bank);
        var c = Assert.Single(TermsConflicts.Of(w.Study));     // the research institute is allowed, the bank is the owner
        Assert.Equal(("bank", "partner", "redisclosure.projectRecipients"), (c.Dataset, c.Kind, c.Clause));
        Assert.Contains("'Veterans' Administration'", c.Text);
    }

    [Fact]
    public void A_planned_end_after_expiry_and_synthetic_versions_not_allowed_are_flagged()
    {
        var w = Documented(new StudyPlan { ReleaseAudience = ["study team"], Operations = ["count"], SyntheticVersions = true, PlannedEnd = new DateOnly(2028, 3, 1) });
        var bank = TermsConflicts.Of(w.Study).Where(c => c.Dataset == "bank").ToList();
        Assert.Equal([("synthetic", "scope.synthetic"), ("expiry", "expires")], bank.Select(c => (c.Kind, c.Clause)).ToList());
        Assert.Contains("after the terms expire on 2027-12-31", bank[1].Text);
        // The veterans' terms expire 2028-09-30: only the synthetic versions conflict there.
        Assert.Equal(["synthetic"], TermsConflicts.Of(w.Study).Where(c => c.Dataset == "veterans").Select(c => c.Kind));
    }

    [Fact]
    public void Metadata_only_terms_conflict_with_any_planned_statistic()
    {
        var w = Documented(new StudyPlan { ReleaseAudience = ["study team"], Operations = ["count"] }, World.Terms("bank") with { Access = AccessLevel.MetadataOnly });
        var c = Assert.Single(TermsConflicts.Of(w.Study));
        Assert.Equal(("access", "access"), (c.Kind, c.Clause));
    }

    [Fact]
    public void A_steward_cannot_approve_while_a_conflict_stands_and_can_once_the_plan_is_changed()
    {
        var w = Documented(new StudyPlan { ReleaseAudience = ["public"], Operations = ["count"] });
        var e = Assert.Throws<TransitionRefusedException>(() =>
            StudyLifecycle.ApproveTerms(w.Study, World.A(w.BankSteward), w.BankData, w.BankData.CurrentTerms!.Hash, w.Day(2)));
        Assert.Contains("cannot be approved while the study conflicts", e.Message);
        Assert.Null(w.BankData.CurrentApproval);
        // My actions: the steward is not asked to approve; the coordinator is asked to resolve.
        Assert.DoesNotContain(MyActions.For(w.BankSteward, [w.Study], w.Day(3)), a => a.Kind == "approve-terms");
        Assert.Contains(MyActions.For(w.Coordinator, [w.Study], w.Day(3)), a => a.Kind == "resolve-conflict" && a.Text.Contains("'bank'"));

        StudyLifecycle.SetPlan(w.Study, World.A(w.Coordinator), new StudyPlan { ReleaseAudience = ["study team"], Operations = ["count"] }, w.Day(3));
        StudyLifecycle.ApproveTerms(w.Study, World.A(w.BankSteward), w.BankData, w.BankData.CurrentTerms!.Hash, w.Day(3));
        Assert.NotNull(w.BankData.CurrentApproval);
    }

    [Fact]
    public void Only_the_coordinator_sets_the_plan_and_a_bad_plan_names_the_field()
    {
        var w = Documented();
        Assert.Throws<AccessDeniedException>(() => StudyLifecycle.SetPlan(w.Study, World.A(w.BankSteward), new StudyPlan(), w.Day(1)));
        var e = Assert.Throws<TransitionRefusedException>(() =>
            StudyLifecycle.SetPlan(w.Study, World.A(w.Coordinator), new StudyPlan { Operations = ["count", "peek"] }, w.Day(1)));
        Assert.Contains("unknown operation 'peek'", e.Message);
        Assert.Null(w.Study.Plan);
    }
}
