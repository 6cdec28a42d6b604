using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Smpc.Governance;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;
using Smpc.Registry.Hosting;
using Smpc.Registry.Mail;

namespace Smpc.Registry.Pages.Organisations;

/// <summary>An organisation's people for its point of contact (or an administrator): who is active and uses two-factor,
/// an invitation form (mailed link) and deactivation. The same operations as the accounts API.</summary>
[AccessRule(AccessKind.OrganisationContact)]
public sealed class PeopleModel(RegistryDb db, UserManager<RegistryUser> users, RegistryMail mail, RegistryLinks links, TimeProvider clock) : RegistryPage
{
    [FromRoute] public Guid OrganisationId { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public Guid PersonId { get; set; }

    public Organisation Organisation { get; private set; } = null!;
    public List<(Person Person, RegistryUser? Account)> People { get; private set; } = [];
    public string? Message { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostInviteAsync()
    {
        await LoadAsync();
        try
        {
            await Invitations.SendAsync(db, mail, links.Base, Me, Organisation, Email ?? "", Name ?? "", null, null, clock.GetUtcNow().UtcDateTime, HttpContext.RequestAborted);
            Message = $"Invitation sent to {Email!.Trim().ToLowerInvariant()}.";
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or MailNotSentException)
        {
            Message = e.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostDeactivateAsync()
    {
        var person = await db.People.FirstOrDefaultAsync(p => p.Id == PersonId && p.OrganisationId == OrganisationId);
        if (person is null) return NotFound();
        if (person.Id == Me.Id) Message = "You cannot deactivate your own account; ask an administrator.";
        else Message = await Accounts.DeactivateAsync(db, users, person, clock.GetUtcNow().UtcDateTime, HttpContext.RequestAborted)
            ? $"{person.Name}'s account is deactivated." : $"{person.Name}'s account was already deactivated.";
        await LoadAsync();
        return Page();
    }

    async Task LoadAsync()
    {
        Organisation = await db.Organisations.AsNoTracking().FirstAsync(o => o.Id == OrganisationId);
        var people = await db.People.AsNoTracking().Where(p => p.OrganisationId == OrganisationId).ToListAsync();
        var ids = people.Select(p => p.Id).ToList();
        var accounts = await db.Users.AsNoTracking().Where(u => ids.Contains(u.PersonId)).ToDictionaryAsync(u => u.PersonId);
        People = people.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => (p, accounts.GetValueOrDefault(p.Id))).ToList();
    }
}
