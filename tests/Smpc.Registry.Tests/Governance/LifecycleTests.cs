using Smpc.Governance;
using static Smpc.Registry.Tests.Governance.World;

namespace Smpc.Registry.Tests.Governance;

/// <summary>Each refused transition names its unmet criterion; the whole path from draft to closed.</summary>
public sealed class LifecycleTests
{
    static TransitionRefusedException Refused(World w, int day) =>
        Assert.Throws<TransitionRefusedException>(() => StudyLifecycle.Advance(w.Study, A(w.Coordinator), w.Day(day)));

    [Fact]
    public void Terms_documented_is_refused_naming_the_dataset_without_terms()
    {
        var w = new World();
        StudyLifecycle.DocumentTerms(w.Study, A(w.VaSteward), w.Veterans, Terms("veterans"), w.Day(1));
        var e = Refused(w, 1);
        Assert.Equal(["dataset 'bank' has no terms"], e.Unmet);
        Assert.Contains("cannot move to TermsDocumented: dataset 'bank' has no terms", e.Message);
        Assert.Equal(StudyStage.Draft, w.Study.Stage);
    }

    [Fact]
    public void A_study_without_datasets_or_without_a_steward_of_the_owner_is_refused_naming_it()
    {
        var w = new World();
        var empty = StudyLifecycle.Create("Empty", "", w.Coordinator, w.T0);
        var e = Assert.Throws<TransitionRefusedException>(() => StudyLifecycle.Advance(empty, A(w.Coordinator), w.Day(1)));
        Assert.Equal(["the study has no datasets"], e.Unmet);

        var other = new Organisation { Slug = "stats", Name = "Statistics office" };
        StudyLifecycle.AddDataset(w.Study, A(w.Coordinator), "survey", other, w.Day(1));
        Assert.Contains("dataset 'survey' has no data steward of 'Statistics office' in the study", Refused(w, 1).Unmet);
    }

    [Fact]
    public void Commitments_is_refused_naming_each_organisation_that_has_not_committed()
    {
        var w = new World();
        StudyLifecycle.DocumentTerms(w.Study, A(w.VaSteward), w.Veterans, Terms("veterans"), w.Day(1));
        StudyLifecycle.DocumentTerms(w.Study, A(w.BankSteward), w.BankData, Terms("bank"), w.Day(1));
        Assert.Equal(StudyStage.TermsDocumented, StudyLifecycle.Advance(w.Study, A(w.Coordinator), w.Day(1)));
        StudyLifecycle.RecordCommitment(w.Study, A(w.VaContact), w.Va, "contributor", "veterans' file", new DateOnly(2026, 4, 1), w.Day(2));
        var e = Refused(w, 2);
        Assert.Equal(
            ["'Research institute' has not recorded its commitment (point of contact: Pat Quinn)", "'Retail bank' has not recorded its commitment (point of contact: Morgan Ellis)"],
            e.Unmet);
    }

    [Fact]
    public void Approved_is_refused_naming_the_steward_and_the_terms_version_by_hash()
    {
        var w = new World();
        StudyLifecycle.DocumentTerms(w.Study, A(w.VaSteward), w.Veterans, Terms("veterans"), w.Day(1));
        StudyLifecycle.DocumentTerms(w.Study, A(w.BankSteward), w.BankData, Terms("bank"), w.Day(1));
        StudyLifecycle.Advance(w.Study, A(w.Coordinator), w.Day(1));
        foreach (var (org, poc) in new[] { (w.Research, w.Coordinator), (w.Va, w.VaContact), (w.Bank, w.BankContact) })
            StudyLifecycle.RecordCommitment(w.Study, A(poc), org, "partner", "its part", null, w.Day(2));
        StudyLifecycle.Advance(w.Study, A(w.Coordinator), w.Day(2));
        StudyLifecycle.ApproveTerms(w.Study, A(w.VaSteward), w.Veterans, w.Veterans.CurrentTerms!.Hash, w.Day(3));
        var e = Refused(w, 3);
        string hash = w.BankData.CurrentTerms!.Hash;
        Assert.Equal([$"steward of 'bank' has not approved terms v1 (sha256 {hash[..12]}…)"], e.Unmet);
    }

    [Fact]
    public void The_whole_path_to_closed_refuses_each_step_until_its_criterion_is_met()
    {
        var w = new World().ToApproved();
        Assert.Equal(StudyStage.Approved, w.Study.Stage);
        Assert.Equal(["dataset 'bank' has no upload receipt under terms " + w.BankData.CurrentTerms!.Label, "dataset 'veterans' has no upload receipt under terms " + w.Veterans.CurrentTerms!.Label],
            Refused(w, 5).Unmet);
        StudyLifecycle.RecordUpload(w.Study, A(w.VaSteward), w.Veterans, new string('a', 64), w.Day(5));
        StudyLifecycle.RecordUpload(w.Study, A(w.BankSteward), w.BankData, new string('b', 64), w.Day(5));
        Assert.Equal(StudyStage.DataCommitted, StudyLifecycle.Advance(w.Study, A(w.Coordinator), w.Day(5)));

        // The bank's terms expire on 2027-12-31: analysis cannot start after that day.
        var late = new DateTime(2028, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Assert.Equal(["terms of dataset 'bank' expired on 2027-12-31"],
            Assert.Throws<TransitionRefusedException>(() => StudyLifecycle.Advance(w.Study, A(w.Coordinator), late)).Unmet);
        Assert.Equal(StudyStage.Analysis, StudyLifecycle.Advance(w.Study, A(w.Coordinator), w.Day(6)));
        Assert.True(StudyLifecycle.AnalysisOpen(w.Study, new DateOnly(2027, 12, 31)));
        Assert.False(StudyLifecycle.AnalysisOpen(w.Study, new DateOnly(2028, 1, 1)));

        StudyLifecycle.AttestDestruction(w.Study, A(w.VaOperator), w.Va, late);
        Assert.Equal(["compute party 'Research institute' has not attested that its shares are destroyed"],
            Assert.Throws<TransitionRefusedException>(() => StudyLifecycle.Advance(w.Study, A(w.Coordinator), late)).Unmet);
        StudyLifecycle.AttestDestruction(w.Study, A(w.ResearchOperator), w.Research, late);
        Assert.Equal(StudyStage.Closed, StudyLifecycle.Advance(w.Study, A(w.Coordinator), late));
        Assert.Throws<TransitionRefusedException>(() => StudyLifecycle.DocumentTerms(w.Study, A(w.BankSteward), w.BankData, Terms("bank") with { MinCellSize = 50 }, late));
    }

    [Fact]
    public void A_change_to_approved_terms_voids_their_approvals_moves_the_study_back_and_records_the_diff()
    {
        var w = new World().ToApproved();
        var v1 = w.BankData.CurrentTerms!;
        var changed = Terms("bank") with { MinCellSize = 11, AllowedOperations = [.. Terms("bank").AllowedOperations, "quantile"] };
        var v2 = StudyLifecycle.DocumentTerms(w.Study, A(w.BankSteward), w.BankData, changed, w.Day(10));

        Assert.Equal(2, v2.Version);
        Assert.NotEqual(v1.Hash, v2.Hash);
        Assert.Equal(StudyStage.Commitments, w.Study.Stage);
        var voided = Assert.Single(w.BankData.Approvals);
        Assert.Equal(w.Day(10), voided.VoidedAt);
        Assert.Equal($"terms changed to {v2.Label}", voided.VoidedBecause);
        Assert.NotNull(w.Veterans.CurrentApproval); // the other dataset's approval stands
        var change = Assert.Single(w.Study.Events, e => e.Kind == "terms" && e.Text.Contains("changed"));
        Assert.Contains("allowedOperations: +quantile", change.Text);
        Assert.Contains("minCellSize: 20 -> 11", change.Text);

        Assert.Equal([$"steward of 'bank' has not approved terms v2 (sha256 {v2.Hash[..12]}…)"], Refused(w, 11).Unmet);
        // Approving with the hash of the old version is refused: the steward must approve what is now there.
        var stale = Assert.Throws<TransitionRefusedException>(() => StudyLifecycle.ApproveTerms(w.Study, A(w.BankSteward), w.BankData, v1.Hash, w.Day(11)));
        Assert.Contains("are now v2", stale.Message);
        StudyLifecycle.ApproveTerms(w.Study, A(w.BankSteward), w.BankData, v2.Hash, w.Day(12));
        Assert.Equal(StudyStage.Approved, StudyLifecycle.Advance(w.Study, A(w.Coordinator), w.Day(12)));
    }

    [Fact]
    public void Documenting_the_same_terms_again_changes_nothing()
    {
        var w = new World().ToApproved();
        var v1 = w.BankData.CurrentTerms!;
        Assert.Same(v1, StudyLifecycle.DocumentTerms(w.Study, A(w.BankSteward), w.BankData, Terms("bank"), w.Day(9)));
        Assert.Equal(StudyStage.Approved, w.Study.Stage);
        Assert.NotNull(w.BankData.CurrentApproval);
    }

    [Fact]
    public void Adding_a_dataset_returns_the_study_to_draft_and_uploads_wait_for_approval()
    {
        var w = new World();
        StudyLifecycle.DocumentTerms(w.Study, A(w.VaSteward), w.Veterans, Terms("veterans"), w.Day(1));
        StudyLifecycle.DocumentTerms(w.Study, A(w.BankSteward), w.BankData, Terms("bank"), w.Day(1));
        StudyLifecycle.Advance(w.Study, A(w.Coordinator), w.Day(1));
        StudyLifecycle.AddDataset(w.Study, A(w.Coordinator), "bank-2", w.Bank, w.Day(2));
        Assert.Equal(StudyStage.Draft, w.Study.Stage);
        var e = Assert.Throws<TransitionRefusedException>(() => StudyLifecycle.RecordUpload(w.Study, A(w.VaSteward), w.Veterans, new string('a', 64), w.Day(2)));
        Assert.Contains("once the study is approved", e.Message);
    }
}
