using System.Net;
using Microsoft.AspNetCore.Identity;
using Smpc.Registry.Hosting;

namespace Smpc.Registry.Auth;

/// <summary>
/// Which page origins may create or use a passkey: with a public URL configured (the TLS reverse proxy's), exactly that
/// origin; otherwise the origin of the request itself, only on loopback (<c>localhost</c>, as browsers allow WebAuthn
/// over plain HTTP there only). Never a cross-origin frame. WebAuthn binds each passkey to the registry's domain, so a
/// look-alike site cannot use it.
/// </summary>
public static class PasskeyOrigins
{
    public static void Configure(IdentityPasskeyOptions passkeys, RegistryOptions options)
    {
        passkeys.ValidateOrigin = context =>
        {
            if (context.CrossOrigin || !Uri.TryCreate(context.Origin, UriKind.Absolute, out var origin)) return ValueTask.FromResult(false);
            if (options.PublicUrl is { } configured)
                return ValueTask.FromResult(Uri.TryCreate(configured, UriKind.Absolute, out var expected)
                    && string.Equals(expected.GetLeftPart(UriPartial.Authority), origin.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase));
            var request = context.HttpContext.Request;
            bool same = string.Equals(origin.GetLeftPart(UriPartial.Authority), $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
            bool loopback = origin.IsLoopback || (IPAddress.TryParse(origin.Host, out var ip) && IPAddress.IsLoopback(ip));
            return ValueTask.FromResult(same && (loopback || origin.Scheme == Uri.UriSchemeHttps));
        };
        if (options.PublicUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var u)) passkeys.ServerDomain = u.Host;
    }
}
