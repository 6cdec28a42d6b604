using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Smpc.Governance;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;

namespace Smpc.Registry.Pages.Studies;

[AccessRule(StudyAction.Coordinate)]
public sealed class AddDatasetModel(StudyRepository repository, TimeProvider clock) : StudyFormPage(repository, clock)
{
    [BindProperty] public string Name { get; set; } = "";
    [BindProperty] public Guid OrganisationId { get; set; }
    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];

    async Task LoadAsync() => Organisations = (await Repository.Db.Organisations.ToListAsync(HttpContext.RequestAborted)).OrderBy(o => o.Name, StringComparer.Ordinal).ToList();

    public Task OnGetAsync() => LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        await LoadAsync();
        var org = await Repository.OrganisationAsync(OrganisationId, HttpContext.RequestAborted);
        if (org is null) { Error = "Choose an organisation."; return Page(); }
        return await ApplyAsync(() => StudyLifecycle.AddDataset(Study, Actor, Name, org, Now), StudyPath);
    }
}
