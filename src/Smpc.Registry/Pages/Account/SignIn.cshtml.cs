using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;

namespace Smpc.Registry.Pages.Account;

/// <summary>Password sign-in with lockout: after <c>Lockout.MaxFailedAccessAttempts</c> wrong passwords the account is
/// locked for <c>Lockout.DefaultLockoutTimeSpan</c>, and says so (the message does not tell whether the email exists).
/// An account with two-factor goes on to <see cref="SignInTwoFactorModel"/>; a deactivated one is not allowed.</summary>
[AccessRule(AccessKind.Anonymous)]
public sealed class SignInModel(SignInManager<RegistryUser> signIn, RegistryDb db) : PageModel
{
    /// <summary>Organisations with their own identity provider: (slug, "Sign in with …" name).</summary>
    public IReadOnlyList<(string Slug, string Name)> Providers { get; private set; } = [];

    public override async Task OnPageHandlerExecutionAsync(Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutingContext context, Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutionDelegate next)
    {
        Providers = (await (from s in db.OrganisationSignIns join o in db.Organisations on s.OrganisationId equals o.Id select new { o.Slug, s.DisplayName }).ToListAsync())
            .OrderBy(p => p.DisplayName, StringComparer.Ordinal).Select(p => (p.Slug, p.DisplayName)).ToList();
        await next();
    }

    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public string? Message { get; private set; }

    public void OnGet() { }

    [BindProperty] public string? CredentialJson { get; set; }

    /// <summary>WebAuthn request options for a passkey sign-in (any of the registry's passkeys; the browser offers its own).</summary>
    public async Task<IActionResult> OnPostRequestOptionsAsync() => Content(await signIn.MakePasskeyRequestOptionsAsync(null), "application/json");

    /// <summary>Signs in with the passkey assertion the browser made (signature, challenge, origin and counter checked by Identity).</summary>
    public async Task<IActionResult> OnPostPasskeyAsync()
    {
        var result = await signIn.PasskeySignInAsync(CredentialJson ?? "");
        if (result.Succeeded) return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        Message = result.IsLockedOut ? "This account is locked after too many failed sign-ins."
            : result.IsNotAllowed ? "This account may not sign in." : "That passkey is not known here.";
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await signIn.PasswordSignInAsync((Email ?? "").Trim().ToLowerInvariant(), Password ?? "", isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded) return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        if (result.RequiresTwoFactor) return RedirectToPage("SignInTwoFactor", new { ReturnUrl });
        Message = result.IsLockedOut ? "This account is locked after too many failed sign-ins. Try again later or ask an administrator."
            : result.IsNotAllowed ? "This account may not sign in." : "Wrong email or password.";
        Response.StatusCode = result.IsLockedOut ? StatusCodes.Status423Locked : StatusCodes.Status401Unauthorized;
        return Page();
    }
}
