using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;

namespace Smpc.Registry.Pages.Account;

/// <summary>
/// Sign-in through an organisation's identity provider (<see cref="OrganisationOidc"/>). The provider's answer is linked
/// to an account once: by the email the provider says it has verified, and only to a person of that same organisation
/// (a provider cannot sign in anyone of another organisation); later sign-ins find the link by the provider's subject.
/// Deactivated accounts are refused, and coordinators and data stewards still give their authenticator code.
/// </summary>
[AccessRule(AccessKind.Anonymous)]
public sealed class ExternalModel(SignInManager<RegistryUser> signIn, UserManager<RegistryUser> users, RegistryDb db, ILoggerFactory log) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Organisation { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var config = await ConfigAsync();
        if (config is null) { Message = "That organisation has no identity provider configured here."; Response.StatusCode = StatusCodes.Status400BadRequest; return Page(); }
        string callback = Url.Page("External", "Callback", new { Organisation, ReturnUrl })!;
        var properties = signIn.ConfigureExternalAuthenticationProperties(OrganisationOidc.SchemeOf(Organisation!), callback);
        return Challenge(properties, OrganisationOidc.SchemeOf(Organisation!));
    }

    public async Task<IActionResult> OnGetCallbackAsync()
    {
        var config = await ConfigAsync();
        var info = await signIn.GetExternalLoginInfoAsync();
        if (config is null || info is null || info.LoginProvider != OrganisationOidc.SchemeOf(Organisation!))
            return Refuse("The identity provider's answer could not be read; try again.");
        var result = await signIn.ExternalLoginSignInAsync(info.LoginProvider, info.ProviderKey, isPersistent: false, bypassTwoFactor: false);
        if (!result.Succeeded && !result.RequiresTwoFactor && !result.IsLockedOut && !result.IsNotAllowed)
        {
            string? email = info.Principal.FindFirstValue("email")?.Trim().ToLowerInvariant();
            bool verified = string.Equals(info.Principal.FindFirstValue("email_verified"), "true", StringComparison.OrdinalIgnoreCase);
            if (email is null || !verified) return await RefuseAsync($"{config.Value.Name} did not give a verified email address.");
            var person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Email == email && p.OrganisationId == config.Value.OrganisationId);
            var user = person is null ? null : await db.Users.FirstOrDefaultAsync(u => u.PersonId == person.Id);
            if (user is null) return await RefuseAsync($"No account of {config.Value.Name} has the email {email}; ask your point of contact for an invitation.");
            var linked = await users.AddLoginAsync(user, new UserLoginInfo(info.LoginProvider, info.ProviderKey, config.Value.Name));
            if (!linked.Succeeded) return await RefuseAsync(string.Join(" ", linked.Errors.Select(e => e.Description)));
            log.CreateLogger(Api.AccountEndpoints.LogCategory).LogInformation("Person {PersonId} linked to the identity provider of organisation {OrganisationId}", person!.Id, config.Value.OrganisationId);
            result = await signIn.ExternalLoginSignInAsync(info.LoginProvider, info.ProviderKey, isPersistent: false, bypassTwoFactor: false);
        }
        await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
        if (result.Succeeded) return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        if (result.RequiresTwoFactor) return RedirectToPage("SignInTwoFactor", new { ReturnUrl });
        return Refuse(result.IsLockedOut ? "This account is locked." : "This account may not sign in.");
    }

    async Task<(Guid OrganisationId, string Name)?> ConfigAsync()
    {
        var found = await (from s in db.OrganisationSignIns join o in db.Organisations on s.OrganisationId equals o.Id
                           where o.Slug == Organisation select new { s.OrganisationId, s.DisplayName }).FirstOrDefaultAsync();
        return found is null ? null : (found.OrganisationId, found.DisplayName);
    }

    async Task<IActionResult> RefuseAsync(string message)
    {
        await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
        return Refuse(message);
    }

    public string? Message { get; private set; }

    IActionResult Refuse(string message)
    {
        Message = message;
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }
}
