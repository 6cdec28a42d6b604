using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Smpc.Governance;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;

namespace Smpc.Registry.Pages.Studies;

[AccessRule(StudyAction.Coordinate)]
public sealed class AddMemberModel(StudyRepository repository, TimeProvider clock) : StudyFormPage(repository, clock)
{
    [BindProperty] public Guid PersonId { get; set; }
    [BindProperty] public StudyRole Role { get; set; } = StudyRole.DataSteward;
    public IReadOnlyList<Person> People { get; private set; } = [];

    async Task LoadAsync() => People = (await Repository.Db.People.Include(p => p.Organisation).Where(p => p.Active).ToListAsync(HttpContext.RequestAborted))
        .OrderBy(p => p.Organisation.Name, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();

    public Task OnGetAsync() => LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        await LoadAsync();
        var person = await Repository.PersonAsync(PersonId, HttpContext.RequestAborted);
        if (person is null) { Error = "Choose a person."; return Page(); }
        return await ApplyAsync(() => StudyLifecycle.AddMember(Study, Actor, person, Role, Now), StudyPath);
    }
}
