using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;
using Smpc.Registry.Hosting;
using Smpc.Registry.Mail;

namespace Smpc.Registry.Pages.Account;

/// <summary>"Forgot your password": mails a reset link (Identity's data-protected token, valid for
/// <see cref="RegistryOptions.ResetLinkLifetime"/> and once: resetting changes the security stamp it is bound to) to an
/// active account. The answer is the same whether or not the email has an account.</summary>
[AccessRule(AccessKind.Anonymous)]
public sealed class ForgotModel(UserManager<RegistryUser> users, RegistryMail mail, RegistryLinks links, ILoggerFactory log) : PageModel
{
    [BindProperty] public string? Email { get; set; }

    public bool Sent { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.FindByEmailAsync((Email ?? "").Trim().ToLowerInvariant());
        if (user is { DeactivatedAt: null })
        {
            string token = await users.GeneratePasswordResetTokenAsync(user);
            string link = $"{links.Base}/account/reset?email={Uri.EscapeDataString(user.Email!)}&token={Uri.EscapeDataString(token)}";
            await mail.SendAsync(user.Email!, "Reset your study registry password",
                $"Someone (probably you) asked to reset the password of {user.Email}.\n\nChoose a new one here (the link works once, for {links.ResetLifetimeText}):\n{link}\n\nIf you did not ask, ignore this message; your password is unchanged.\n",
                HttpContext.RequestAborted);
            log.CreateLogger(Api.AccountEndpoints.LogCategory).LogInformation("Password reset link mailed for person {PersonId}", user.PersonId);
        }
        Sent = true;
        return Page();
    }
}
