using Smpc.Governance;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;

namespace Smpc.Registry.Pages;

[AccessRule(AccessKind.Authenticated)]
public sealed class IndexModel(StudyRepository repository, TimeProvider clock) : RegistryPage
{
    public IReadOnlyList<StudyOverview> Studies { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        Studies = (await repository.ForPersonAsync(Me, HttpContext.RequestAborted)).Select(s => StudyStatus.Of(s, Me.Id, today)).ToList();
    }
}
