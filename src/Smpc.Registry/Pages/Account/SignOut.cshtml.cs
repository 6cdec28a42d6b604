using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;

namespace Smpc.Registry.Pages.Account;

[AccessRule(AccessKind.Enrolment)]
public sealed class SignOutModel(SignInManager<RegistryUser> signIn) : RegistryPage
{
    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        return LocalRedirect("/account/signin");
    }
}
