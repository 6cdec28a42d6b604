using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Smpc.Registry.Data;
using Smpc.Registry.Hosting;

namespace Smpc.Registry.Tests.Infrastructure;

/// <summary>The registry as `smpc registry` runs it: real Kestrel on 127.0.0.1 (a free port), migrations applied, an
/// administrator created; on SQLite in a temporary folder unless given a connection string.</summary>
public sealed class RegistryServer : IAsyncDisposable
{
    readonly WebApplication app;
    readonly string dataDirectory;

    public Uri BaseAddress { get; }
    public StartupReport Report { get; }
    public IServiceProvider Services => app.Services;
    public string DataDirectory => dataDirectory;

    RegistryServer(WebApplication app, string dataDirectory, Uri baseAddress, StartupReport report)
    {
        this.app = app;
        this.dataDirectory = dataDirectory;
        BaseAddress = baseAddress;
        Report = report;
    }

    public static async Task<RegistryServer> StartAsync(string? connection = null, bool demo = false, int maxFailedSignIns = 3,
        Func<RegistryOptions, RegistryOptions>? configure = null)
    {
        string dir = Path.Combine(Path.GetTempPath(), "smpc-registry-test-" + Guid.NewGuid().ToString("N")[..10]);
        var options = new RegistryOptions { Urls = "http://127.0.0.1:0", DataDirectory = dir, Connection = connection, Demo = demo, MaxFailedSignIns = maxFailedSignIns };
        if (configure is not null) options = configure(options);
        var app = RegistryApp.Build(options);
        var report = await RegistryApp.InitialiseAsync(app, options);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RegistryServer(app, dir, new Uri(address), report);
    }

    /// <summary>A client that keeps cookies (a browser's session) and does not follow redirects.</summary>
    public HttpClient Client() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
    {
        BaseAddress = BaseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public async Task<T> WithDbAsync<T>(Func<RegistryDb, UserManager<RegistryUser>, Task<T>> work)
    {
        using var scope = app.Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<RegistryDb>(), scope.ServiceProvider.GetRequiredService<UserManager<RegistryUser>>());
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { }
    }
}
