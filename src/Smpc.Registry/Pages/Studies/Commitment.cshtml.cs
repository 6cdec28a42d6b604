using Microsoft.AspNetCore.Mvc;
using Smpc.Governance;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;

namespace Smpc.Registry.Pages.Studies;

[AccessRule(StudyAction.RecordCommitment, AccessTarget.Organisation)]
public sealed class CommitmentModel(StudyRepository repository, TimeProvider clock) : StudyFormPage(repository, clock)
{
    [BindProperty] public string Role { get; set; } = "";
    [BindProperty] public string Deliverables { get; set; } = "";
    [BindProperty] public DateOnly? DueBy { get; set; }

    public Organisation Organisation { get; private set; } = null!;

    async Task<bool> LoadAsync()
    {
        var org = await Repository.OrganisationAsync(Guid.Parse((string)RouteData.Values["organisationId"]!), HttpContext.RequestAborted);
        if (org is null) return false;
        Organisation = org;
        return true;
    }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!await LoadAsync()) return NotFound();
        if (Study.Commitments.FirstOrDefault(c => c.OrganisationId == Organisation.Id) is { } c) (Role, Deliverables, DueBy) = (c.Role, c.Deliverables, c.DueBy);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await LoadAsync()) return NotFound();
        return await ApplyAsync(() => StudyLifecycle.RecordCommitment(Study, Actor, Organisation, Role, Deliverables, DueBy, Now), StudyPath);
    }
}
