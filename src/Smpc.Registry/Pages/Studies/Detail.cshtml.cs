using Smpc.Governance;
using Smpc.Registry.Auth;

namespace Smpc.Registry.Pages.Studies;

[AccessRule(StudyAction.View)]
public sealed class DetailModel(TimeProvider clock) : RegistryPage
{
    public Study Study => (Study)HttpContext.Items[AccessMiddleware.StudyKey]!;

    public IReadOnlyList<string> Unmet { get; private set; } = [];

    public IReadOnlyList<TermsConflict> Conflicts { get; private set; } = [];

    public CriticalPathReport? Path { get; private set; }

    /// <summary>Whether the signed-in person may do <paramref name="action"/> here (links are shown only then; the
    /// pages behind them check again).</summary>
    public bool Can(StudyAction action, Guid? organisation = null) =>
        RegistryClaims.ActorOf(User) is { } actor && StudyPermissions.Check(actor, action, Study, organisation) is null;

    public void OnGet()
    {
        Conflicts = TermsConflicts.Of(Study);
        Path = CriticalPath.Of(Study, clock.GetUtcNow().UtcDateTime);
        if (StudyLifecycle.Next(Study.Stage) is { } next)
            Unmet = StudyLifecycle.UnmetCriteria(Study, next, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
    }
}
