using Smpc.Governance;

namespace Smpc.Registry.Auth;

/// <summary>
/// The access rule of one endpoint, as endpoint metadata: on minimal-API endpoints through <c>.Access(…)</c>, on pages
/// as an attribute of the page model. <see cref="AccessMiddleware"/> enforces it; an endpoint without one is refused,
/// and the authorisation test fails on it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class AccessRule : Attribute
{
    public AccessRule(AccessKind kind) => Kind = kind;

    public AccessRule(StudyAction action, AccessTarget target = AccessTarget.None)
    {
        Kind = AccessKind.Study;
        Action = action;
        Target = target;
    }

    public AccessKind Kind { get; }

    public StudyAction? Action { get; }

    public AccessTarget Target { get; }

    public override string ToString() => Kind == AccessKind.Study ? $"Study:{Action}{(Target == AccessTarget.None ? "" : "@" + Target)}" : Kind.ToString();
}

public static class AccessRuleExtensions
{
    public static TBuilder Access<TBuilder>(this TBuilder builder, AccessKind kind) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AccessRule(kind));

    public static TBuilder Access<TBuilder>(this TBuilder builder, StudyAction action, AccessTarget target = AccessTarget.None) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AccessRule(action, target));
}
