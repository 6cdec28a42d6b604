using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;

namespace Smpc.Registry.Pages.Account;

/// <summary>
/// The person's passkeys (WebAuthn, through Identity's passkey support): the list, adding one (the browser creates a
/// key pair on its authenticator for this registry's domain; Identity checks the attestation, origin and challenge and
/// stores the public key), and removing one. A passkey then signs in on its own: it is phishing-resistant and proves
/// both possession and the authenticator's user verification.
/// </summary>
[AccessRule(AccessKind.Authenticated)]
public sealed class PasskeysModel(UserManager<RegistryUser> users, SignInManager<RegistryUser> signIn, RegistryDb db, ILoggerFactory log) : RegistryPage
{
    [BindProperty] public string? CredentialJson { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? CredentialId { get; set; }

    public IList<UserPasskeyInfo> Passkeys { get; private set; } = [];
    public string? Message { get; private set; }

    public async Task OnGetAsync() => Passkeys = await users.GetPasskeysAsync(await UserAsync());

    public async Task<IActionResult> OnPostCreationOptionsAsync()
    {
        var user = await UserAsync();
        string options = await signIn.MakePasskeyCreationOptionsAsync(new PasskeyUserEntity { Id = user.Id, Name = user.Email!, DisplayName = Me.Name });
        return Content(options, "application/json");
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await UserAsync();
        var attestation = await signIn.PerformPasskeyAttestationAsync(CredentialJson ?? "");
        if (!attestation.Succeeded)
        {
            Message = $"The passkey was not added: {attestation.Failure.Message}";
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        else
        {
            attestation.Passkey.Name = string.IsNullOrWhiteSpace(Name) ? "passkey" : Name.Trim()[..Math.Min(Name.Trim().Length, 100)];
            var added = await users.AddOrUpdatePasskeyAsync(user, attestation.Passkey);
            Message = added.Succeeded ? $"Passkey '{attestation.Passkey.Name}' added." : string.Join(" ", added.Errors.Select(e => e.Description));
            if (added.Succeeded) log.CreateLogger(Api.AccountEndpoints.LogCategory).LogInformation("Person {PersonId} added a passkey", Me.Id);
        }
        Passkeys = await users.GetPasskeysAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync()
    {
        var user = await UserAsync();
        try { await users.RemovePasskeyAsync(user, Base64Url(CredentialId ?? "")); }
        catch (FormatException) { return BadRequest(); }
        return RedirectToPage();
    }

    public static string Id(UserPasskeyInfo p) => Convert.ToBase64String(p.CredentialId).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static byte[] Base64Url(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }

    async Task<RegistryUser> UserAsync() => await users.GetUserAsync(User) ?? db.Users.First(u => u.PersonId == Me.Id);
}
