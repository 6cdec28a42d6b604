using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Smpc.Registry.Hosting;

/// <summary>The base of links the registry mails: the configured public URL, else the first address Kestrel listens
/// on. Never the request's Host header, which a caller chooses (a reset link pointing elsewhere would leak its token).</summary>
public sealed class RegistryLinks(RegistryOptions options, IServer server)
{
    public string Base => (options.PublicUrl ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
        ?? throw new InvalidOperationException("The registry is not listening yet.")).TrimEnd('/');

    public string ResetLifetimeText => options.ResetLinkLifetime.TotalHours >= 1 ? $"{options.ResetLinkLifetime.TotalHours:0.#} hours" : $"{options.ResetLinkLifetime.TotalMinutes:0.#} minutes";
}
