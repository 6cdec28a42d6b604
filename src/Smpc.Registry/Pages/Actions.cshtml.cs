using Smpc.Governance;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;

namespace Smpc.Registry.Pages;

[AccessRule(AccessKind.Authenticated)]
public sealed class ActionsModel(StudyRepository repository, TimeProvider clock) : RegistryPage
{
    public IReadOnlyList<ActionItem> Items { get; private set; } = [];

    public DateTime Now { get; private set; }

    /// <summary>The critical path of each study the person coordinates.</summary>
    public IReadOnlyList<CriticalPathReport> Paths { get; private set; } = [];

    public async Task OnGetAsync()
    {
        Now = clock.GetUtcNow().UtcDateTime;
        var studies = await repository.ForPersonAsync(Me, HttpContext.RequestAborted);
        Items = MyActions.For(Me, studies, Now, await Api.ReviewEndpoints.PendingAsync(repository.Db, studies, HttpContext.RequestAborted));
        Paths = studies.Where(s => s.Has(Me.Id, StudyRole.Coordinator) && s.Stage != StudyStage.Closed).Select(s => CriticalPath.Of(s, Now)).ToList();
    }
}
