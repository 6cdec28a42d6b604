using Microsoft.AspNetCore.Identity;
using Smpc.Registry.Data;

namespace Smpc.Registry.Auth;

/// <summary>Identity asks this before every sign-in (password, second factor, passkey, external provider): a
/// deactivated account may not sign in (<see cref="SignInResult.IsNotAllowed"/>).</summary>
public sealed class ActiveAccountConfirmation : IUserConfirmation<RegistryUser>
{
    public Task<bool> IsConfirmedAsync(UserManager<RegistryUser> manager, RegistryUser user) => Task.FromResult(user.DeactivatedAt is null);
}
