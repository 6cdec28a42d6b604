namespace Smpc.Registry.Auth;

/// <summary>The kinds of access rule an endpoint can carry (<see cref="AccessRule"/>).</summary>
public enum AccessKind
{
    /// <summary>No credential needed (sign-in page, health, OpenAPI document).</summary>
    Anonymous,
    /// <summary>Any signed-in, active person.</summary>
    Authenticated,
    /// <summary>Registry administrators.</summary>
    Admin,
    /// <summary>A <see cref="Smpc.Governance.StudyAction"/> on the study named by the route's <c>studyId</c>.</summary>
    Study,
}
