using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;

namespace Smpc.Registry.Pages.Account;

/// <summary>The second step of sign-in for an account with two-factor: a code from the authenticator app, or one of
/// the recovery codes (each works once). Wrong codes count towards the lockout like wrong passwords. Reached only
/// after the right password (Identity's two-factor cookie names the account); otherwise it says to start there.</summary>
[AccessRule(AccessKind.Anonymous)]
public sealed class SignInTwoFactorModel(SignInManager<RegistryUser> signIn) : PageModel
{
    [BindProperty] public string? Code { get; set; }
    [BindProperty] public string? RecoveryCode { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public string? Message { get; private set; }

    /// <summary>False when no password step came first (or it expired): the page then says to start there.</summary>
    public bool Pending { get; private set; } = true;

    public async Task<IActionResult> OnGetAsync()
    {
        Pending = await signIn.GetTwoFactorAuthenticationUserAsync() is not null;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null)
        {
            Pending = false;
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        string code = (Code ?? "").Replace(" ", "").Replace("-", "");
        var result = code.Length > 0
            ? await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false)
            : await signIn.TwoFactorRecoveryCodeSignInAsync((RecoveryCode ?? "").Replace(" ", ""));
        if (result.Succeeded) return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        Message = result.IsLockedOut ? "This account is locked after too many failed sign-ins. Try again later or ask an administrator."
            : result.IsNotAllowed ? "This account may not sign in." : "That code is not valid.";
        Response.StatusCode = result.IsLockedOut ? StatusCodes.Status423Locked : StatusCodes.Status401Unauthorized;
        return Page();
    }
}
