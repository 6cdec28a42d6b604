using System.ComponentModel;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;

namespace Smpc.Registry.Pages.Account;

/// <summary>
/// Enrolment of an authenticator app (TOTP, RFC 6238, through Identity's authenticator token provider): the page shows
/// the shared key and its <c>otpauth://</c> URI; the person proves the app works by entering a current code, and gets
/// ten one-time recovery codes, shown once. A person who
/// must use two-factor (<see cref="TwoFactorPolicy"/>) is sent here and cannot leave until enrolled.
/// </summary>
[AccessRule(AccessKind.Enrolment)]
public sealed class TwoFactorModel(UserManager<RegistryUser> users, SignInManager<RegistryUser> signIn, RegistryDb db, ILoggerFactory log) : RegistryPage
{
    public const string Issuer = "Study registry";

    public bool Enabled { get; private set; }
    public bool Required { get; private set; }
    public string? SharedKey { get; private set; }
    public string? AuthenticatorUri { get; private set; }
    public IReadOnlyList<string>? RecoveryCodes { get; private set; }
    public int RecoveryCodesLeft { get; private set; }
    public string? Message { get; private set; }

    [BindProperty, DisplayName("Code")] public string? Code { get; set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync(await UserAsync());

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await UserAsync();
        if (user.TwoFactorEnabled) return await LoadAsync(user);
        string code = (Code ?? "").Replace(" ", "").Replace("-", "");
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            Message = "That code is not valid: check the time on your device and enter the current six-digit code.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await LoadAsync(user);
        }
        await users.SetTwoFactorEnabledAsync(user, true);
        log.CreateLogger(Api.AccountEndpoints.LogCategory).LogInformation("Person {PersonId} enrolled an authenticator app", Me.Id);
        RecoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10))!.ToList();
        await signIn.RefreshSignInAsync(user);
        return await LoadAsync(user);
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync()
    {
        var user = await UserAsync();
        if (!user.TwoFactorEnabled) return RedirectToPage();
        RecoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10))!.ToList();
        return await LoadAsync(user);
    }

    async Task<RegistryUser> UserAsync() => await users.GetUserAsync(User) ?? db.Users.First(u => u.PersonId == Me.Id);

    async Task<IActionResult> LoadAsync(RegistryUser user)
    {
        Enabled = user.TwoFactorEnabled;
        Required = await TwoFactorPolicy.RequiredAsync(db, Me.Id);
        if (Enabled) { RecoveryCodesLeft = await users.CountRecoveryCodesAsync(user); return Page(); }
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
        }
        SharedKey = string.Join(' ', key!.Chunk(4).Select(c => new string(c))).ToLowerInvariant();
        AuthenticatorUri = OtpAuthUri(Issuer, user.Email!, key!);
        return Page();
    }

    /// <summary>The key-URI format authenticator apps read: <c>otpauth://totp/ISSUER:ACCOUNT?secret=…&amp;issuer=…&amp;digits=6</c>.</summary>
    public static string OtpAuthUri(string issuer, string account, string base32Key) =>
        $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(account)}?secret={base32Key}&issuer={Uri.EscapeDataString(issuer)}&digits=6";
}
