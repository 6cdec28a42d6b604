using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;

namespace Smpc.Registry.Pages.Account;

/// <summary>Choosing a new password from a mailed reset link. An expired, used or altered token is refused; a
/// deactivated account cannot be reset back into use.</summary>
[AccessRule(AccessKind.Anonymous)]
public sealed class ResetModel(UserManager<RegistryUser> users) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Email { get; set; }
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }
    [BindProperty] public string? Password { get; set; }

    public bool Done { get; private set; }
    public string? Message { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.FindByEmailAsync((Email ?? "").Trim().ToLowerInvariant());
        var result = user is { DeactivatedAt: null } ? await users.ResetPasswordAsync(user, Token ?? "", Password ?? "") : null;
        if (result is { Succeeded: true })
        {
            await users.ResetAccessFailedCountAsync(user!);
            Done = true;
            return Page();
        }
        bool badToken = result is null || result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken));
        Message = badToken ? "This reset link is not valid: it has expired or has been used. Ask for a new one." : string.Join(" ", result!.Errors.Select(e => e.Description));
        Response.StatusCode = badToken ? StatusCodes.Status410Gone : StatusCodes.Status400BadRequest;
        return Page();
    }
}
