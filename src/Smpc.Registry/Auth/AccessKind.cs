namespace Smpc.Registry.Auth;

/// <summary>The kinds of access rule an endpoint can carry (<see cref="AccessRule"/>).</summary>
public enum AccessKind
{
    /// <summary>No credential needed (sign-in page, health, OpenAPI document).</summary>
    Anonymous,
    /// <summary>Any signed-in, active person.</summary>
    Authenticated,
    /// <summary>Any signed-in, active person, also one who must still enrol a second factor (the enrolment and sign-out
    /// pages); every other signed-in rule first sends a coordinator or data steward without two-factor to enrol.</summary>
    Enrolment,
    /// <summary>Registry administrators.</summary>
    Admin,
    /// <summary>A <see cref="Smpc.Governance.StudyAction"/> on the study named by the route's <c>studyId</c>.</summary>
    Study,
    /// <summary>An administrator, or the point of contact of the organisation named by the route's <c>organisationId</c>
    /// (invitations, deactivation).</summary>
    OrganisationContact,
}
