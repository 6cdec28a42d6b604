using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smpc.Governance;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;

namespace Smpc.Registry.Pages.Studies;

[AccessRule(AccessKind.Authenticated)]
public sealed class NewModel(StudyRepository repository, TimeProvider clock) : RegistryPage
{
    [BindProperty] public string Title { get; set; } = "";
    [BindProperty] public string Purpose { get; set; } = "";
    public string? Error { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        try
        {
            var study = StudyLifecycle.Create(Title, Purpose, Me, clock.GetUtcNow().UtcDateTime);
            repository.Add(study);
            await repository.SaveAsync(HttpContext.RequestAborted);
            return Redirect($"/studies/{study.Id}");
        }
        catch (TransitionRefusedException e)
        {
            Error = e.Message;
            return Page();
        }
    }
}
