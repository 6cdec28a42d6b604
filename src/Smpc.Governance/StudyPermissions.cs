namespace Smpc.Governance;

/// <summary>
/// Who may do what in a study. Roles are per study; organisation-scoped actions also require the target organisation
/// (the dataset's owner, or the organisation named) to be the actor's own, so a steward of one agency can never act for
/// another, whatever roles they hold. Registry administrators get no study rights from being administrators, but one:
/// they may revoke a study's work token (<see cref="StudyAction.RevokeWorkToken"/>).
/// </summary>
public static class StudyPermissions
{
    /// <summary>Null when allowed; otherwise the rule that refuses, in words.</summary>
    /// <param name="targetOrganisationId">For organisation-scoped actions: the dataset's organisation, or the
    /// organisation whose commitment or attestation is recorded.</param>
    public static string? Check(Actor actor, StudyAction action, Study study, Guid? targetOrganisationId = null)
    {
        var roles = study.RolesOf(actor.PersonId).ToHashSet();
        bool isContact = study.ParticipatingOrganisations().Any(o => o.PointOfContactId == actor.PersonId);
        switch (action)
        {
            case StudyAction.View:
                return roles.Count > 0 || isContact ? null : "only the study's members and its organisations' points of contact may see it";
            case StudyAction.Coordinate:
                return roles.Contains(StudyRole.Coordinator) ? null : "only the study's coordinator may do this";
            case StudyAction.DocumentTerms or StudyAction.ApproveTerms or StudyAction.RecordUpload or StudyAction.ReviewRelease:
                if (!roles.Contains(StudyRole.DataSteward)) return "only a data steward of the dataset's organisation may do this";
                return Own(actor, targetOrganisationId, "a data steward acts only for the datasets of their own organisation");
            case StudyAction.RecordCommitment:
            {
                var org = study.ParticipatingOrganisations().FirstOrDefault(o => o.Id == targetOrganisationId);
                if (org is null) return "that organisation does not take part in this study";
                if (org.PointOfContactId != actor.PersonId) return $"only the point of contact of '{org.Name}' may record its commitment";
                return Own(actor, targetOrganisationId, "a point of contact acts only for their own organisation");
            }
            case StudyAction.AttestDestruction:
                if (!roles.Contains(StudyRole.ComputeOperator)) return "only a compute operator may attest that shares are destroyed";
                return Own(actor, targetOrganisationId, "a compute operator attests only for their own organisation");
            case StudyAction.Analyse:
                return roles.Contains(StudyRole.Analyst) ? null : "only the study's analysts may compute on its data";
            case StudyAction.LogComputation:
                return roles.Contains(StudyRole.ComputeOperator) ? null : "only the study's compute operators may log what its compute parties computed";
            case StudyAction.RevokeWorkToken:
                return actor.IsAdmin || roles.Contains(StudyRole.Coordinator) || roles.Contains(StudyRole.Analyst) ? null
                    : "only the analyst a work token was issued to, the study's coordinator or a registry administrator may revoke it";
            default:
                return $"unknown action {action}";
        }
    }

    /// <summary>Throws <see cref="AccessDeniedException"/> naming the rule unless <see cref="Check"/> allows.</summary>
    public static void Demand(Actor actor, StudyAction action, Study study, Guid? targetOrganisationId = null)
    {
        if (Check(actor, action, study, targetOrganisationId) is { } reason)
            throw new AccessDeniedException($"Refused ({action} on '{study.Title}'): {reason}.");
    }

    static string? Own(Actor actor, Guid? target, string rule) => target == actor.OrganisationId ? null : rule;
}
