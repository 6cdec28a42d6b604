using Smpc.Governance;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;

namespace Smpc.Registry.Pages;

[AccessRule(AccessKind.Authenticated)]
public sealed class ActionsModel(StudyRepository repository, TimeProvider clock) : RegistryPage
{
    public IReadOnlyList<ActionItem> Items { get; private set; } = [];

    public DateTime Now { get; private set; }

    public async Task OnGetAsync()
    {
        Now = clock.GetUtcNow().UtcDateTime;
        Items = MyActions.For(Me, await repository.ForPersonAsync(Me, HttpContext.RequestAborted), Now);
    }
}
