using Smpc.Governance;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;

namespace Smpc.Registry.Pages;

[AccessRule(AccessKind.Authenticated)]
public sealed class IndexModel(StudyRepository repository) : RegistryPage
{
    public IReadOnlyList<Study> Studies { get; private set; } = [];

    public async Task OnGetAsync() => Studies = await repository.ForPersonAsync(Me, HttpContext.RequestAborted);
}
