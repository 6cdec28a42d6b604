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
    /// <summary>Someone of an organisation not yet in the study (an auditor of a review board), found by exact email.</summary>
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public StudyRole Role { get; set; } = StudyRole.DataSteward;
    public IReadOnlyList<Person> People { get; private set; } = [];

    /// <summary>The people the list offers: those of the organisations taking part in the study (not the whole
    /// registry's directory; anyone else is added by their exact email).</summary>
    async Task LoadAsync()
    {
        var organisations = Study.ParticipatingOrganisations().Select(o => o.Id).Append(Me.OrganisationId).ToHashSet();
        People = (await Repository.Db.People.Include(p => p.Organisation).Where(p => p.Active && organisations.Contains(p.OrganisationId)).ToListAsync(HttpContext.RequestAborted))
            .OrderBy(p => p.Organisation.Name, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
    }

    public Task OnGetAsync() => LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        await LoadAsync();
        var person = string.IsNullOrWhiteSpace(Email)
            ? People.FirstOrDefault(p => p.Id == PersonId) is { } listed ? await Repository.PersonAsync(listed.Id, HttpContext.RequestAborted) : null
            : await Repository.Db.People.Where(p => p.Active && p.Email == Email.Trim().ToLowerInvariant()).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(HttpContext.RequestAborted) is { } id
                ? await Repository.PersonAsync(id, HttpContext.RequestAborted) : null;
        if (person is null) { Error = string.IsNullOrWhiteSpace(Email) ? "Choose a person." : $"No active person has the email {Email.Trim()}."; return Page(); }
        return await ApplyAsync(() => StudyLifecycle.AddMember(Study, Actor, person, Role, Now), StudyPath);
    }
}
