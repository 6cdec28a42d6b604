using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Smpc.Registry.Hosting;

/// <summary>The base of links the registry mails: the configured public URL, else the first address Kestrel listens
/// on. Never the request's Host header, which a caller chooses (a reset link pointing elsewhere would leak its token).</summary>
public sealed class RegistryLinks(RegistryOptions options, IServer server)
{
    public string Base => (options.PublicUrl ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
        ?? throw new InvalidOperationException("The registry is not listening yet.")).TrimEnd('/');

    public string ResetLifetimeText => options.ResetLinkLifetime switch
    {
        { TotalHours: >= 1 } t => $"{t.TotalHours:0.#} hours",
        { TotalMinutes: >= 1 } t => $"{t.TotalMinutes:0.#} minutes",
        var t => $"{t.TotalSeconds:0.#} seconds",
    };
}
