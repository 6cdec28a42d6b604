using Smpc.Governance;
using static Smpc.Registry.Tests.Governance.World;

namespace Smpc.Registry.Tests.Governance;

/// <summary>A steward of one agency can never act for another; roles are per study; administrators get no study rights.</summary>
public sealed class PermissionTests
{
    [Fact]
    public void A_steward_cannot_document_approve_or_upload_for_another_organisations_dataset()
    {
        var w = new World();
        StudyLifecycle.DocumentTerms(w.Study, A(w.VaSteward), w.Veterans, Terms("veterans"), w.Day(1));
        var e1 = Assert.Throws<AccessDeniedException>(() => StudyLifecycle.ApproveTerms(w.Study, A(w.BankSteward), w.Veterans, w.Veterans.CurrentTerms!.Hash, w.Day(2)));
        Assert.Contains("a data steward acts only for the datasets of their own organisation", e1.Message);
        Assert.Throws<AccessDeniedException>(() => StudyLifecycle.DocumentTerms(w.Study, A(w.BankSteward), w.Veterans, Terms("veterans") with { MinCellSize = 3 }, w.Day(2)));
        Assert.Throws<AccessDeniedException>(() => StudyLifecycle.RecordUpload(w.Study, A(w.VaSteward), w.BankData, new string('c', 64), w.Day(2)));
        Assert.Empty(w.Veterans.Approvals);
        Assert.Single(w.Veterans.TermsVersions);
    }

    [Fact]
    public void A_person_of_the_right_organisation_without_the_steward_role_cannot_approve()
    {
        var w = new World();
        StudyLifecycle.DocumentTerms(w.Study, A(w.BankSteward), w.BankData, Terms("bank"), w.Day(1));
        foreach (var p in new[] { w.BankContact, w.Outsider, w.Coordinator })
        {
            var e = Assert.Throws<AccessDeniedException>(() => StudyLifecycle.ApproveTerms(w.Study, A(p), w.BankData, w.BankData.CurrentTerms!.Hash, w.Day(2)));
            Assert.Contains("only a data steward of the dataset's organisation", e.Message);
        }
    }

    [Fact]
    public void Only_an_organisations_own_point_of_contact_records_its_commitment()
    {
        var w = new World();
        Assert.Contains("only the point of contact of 'Veterans' Administration'",
            Assert.Throws<AccessDeniedException>(() => StudyLifecycle.RecordCommitment(w.Study, A(w.BankContact), w.Va, "r", "d", null, w.Day(1))).Message);
        Assert.Throws<AccessDeniedException>(() => StudyLifecycle.RecordCommitment(w.Study, A(w.VaSteward), w.Va, "r", "d", null, w.Day(1)));
        StudyLifecycle.RecordCommitment(w.Study, A(w.VaContact), w.Va, "r", "d", null, w.Day(1));
        Assert.Single(w.Study.Commitments);
    }

    [Fact]
    public void Only_the_coordinator_moves_the_study_and_an_administrator_is_not_one()
    {
        var w = new World();
        foreach (var actor in new[] { A(w.Analyst), A(w.VaSteward), A(w.BankContact), Actor.Of(w.Outsider, isAdmin: true) })
            Assert.Contains("only the study's coordinator", Assert.Throws<AccessDeniedException>(() => StudyLifecycle.Advance(w.Study, actor, w.Day(1))).Message);
    }

    [Fact]
    public void A_compute_operator_attests_only_for_their_own_organisation()
    {
        var w = new World().ToApproved();
        Assert.Equal(
            "a compute operator attests only for their own organisation",
            StudyPermissions.Check(A(w.VaOperator), StudyAction.AttestDestruction, w.Study, w.Research.Id));
        Assert.Null(StudyPermissions.Check(A(w.VaOperator), StudyAction.AttestDestruction, w.Study, w.Va.Id));
    }

    [Fact]
    public void Members_and_points_of_contact_see_the_study_and_nobody_else_does()
    {
        var w = new World();
        Assert.Null(StudyPermissions.Check(A(w.Analyst), StudyAction.View, w.Study));
        Assert.Null(StudyPermissions.Check(A(w.BankContact), StudyAction.View, w.Study)); // point of contact, not a member
        Assert.NotNull(StudyPermissions.Check(A(w.Outsider), StudyAction.View, w.Study));
        Assert.NotNull(StudyPermissions.Check(Actor.Of(w.Outsider, isAdmin: true), StudyAction.View, w.Study));
    }

    [Fact]
    public void A_work_token_is_revoked_by_an_analyst_the_coordinator_or_an_administrator_and_nobody_else()
    {
        var w = new World();
        Assert.Null(StudyPermissions.Check(A(w.Analyst), StudyAction.RevokeWorkToken, w.Study));      // the endpoint checks it is theirs
        Assert.Null(StudyPermissions.Check(A(w.Coordinator), StudyAction.RevokeWorkToken, w.Study));
        Assert.Null(StudyPermissions.Check(Actor.Of(w.Outsider, isAdmin: true), StudyAction.RevokeWorkToken, w.Study));   // an administrator, no study role
        foreach (var p in new[] { w.VaSteward, w.VaOperator, w.BankContact, w.Outsider })
            Assert.Equal("only the analyst a work token was issued to, the study's coordinator or a registry administrator may revoke it",
                StudyPermissions.Check(A(p), StudyAction.RevokeWorkToken, w.Study));
    }
}
