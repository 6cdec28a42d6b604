using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smpc.Governance;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;
using Smpc.Registry.Hosting;

namespace Smpc.Registry.Pages.Account;

/// <summary>Accepting an invitation from its mailed link: the person chooses a password; the account (and study role)
/// is created and they are signed in. A used, expired or unknown link is refused with the reason, and creates nothing.</summary>
[AccessRule(AccessKind.Anonymous)]
public sealed class InvitationModel(RegistryDb db, UserManager<RegistryUser> users, SignInManager<RegistryUser> signIn, StudyRepository studies, TimeProvider clock,
    ILoggerFactory log) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }
    [BindProperty] public string? Password { get; set; }

    public Invitation? Open { get; private set; }
    public string? Organisation { get; private set; }
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : Refused();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await LoadAsync()) return Refused();
        if ((Password ?? "").Length < users.Options.Password.RequiredLength)
        {
            Message = $"Choose a password of at least {users.Options.Password.RequiredLength} characters.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        RegistryUser user;
        try { user = await Invitations.AcceptAsync(db, users, studies, Open!, Password!, clock.GetUtcNow().UtcDateTime, HttpContext.RequestAborted); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or TransitionRefusedException or AccessDeniedException)
        {
            db.ChangeTracker.Clear();
            Message = $"The invitation could not be accepted: {e.Message}";
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }
        log.CreateLogger(Api.AccountEndpoints.LogCategory).LogInformation("Invitation {InvitationId} accepted: person {PersonId}", Open!.Id, user.PersonId);
        await signIn.SignInAsync(user, isPersistent: false);
        return LocalRedirect("/");
    }

    async Task<bool> LoadAsync()
    {
        var (invitation, refusal) = await Invitations.FindAsync(db, Token, clock.GetUtcNow().UtcDateTime, HttpContext.RequestAborted);
        Open = invitation;
        Message = refusal;
        if (invitation is not null) Organisation = (await db.Organisations.FindAsync(invitation.OrganisationId))?.Name;
        return invitation is not null;
    }

    IActionResult Refused()
    {
        Response.StatusCode = StatusCodes.Status410Gone;
        return Page();
    }
}
