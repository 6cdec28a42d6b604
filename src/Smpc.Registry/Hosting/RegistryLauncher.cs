using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Smpc.Registry.Hosting;

/// <summary>Starts the registry for <c>smpc registry</c> (and <c>dotnet run</c>): migrate, ensure the administrator,
/// optionally seed the demo, listen, print the URL and the one-time passwords, run until Ctrl+C.</summary>
public static class RegistryLauncher
{
    public static async Task<int> RunAsync(RegistryOptions options, TextWriter output, CancellationToken cancel = default)
    {
        WebApplication app;
        try { app = RegistryApp.Build(options); }
        catch (ArgumentException e) { await Console.Error.WriteLineAsync(e.Message); return 2; }
        var database = app.Services.GetRequiredService<Data.RegistryDatabase>();
        StartupReport report;
        try { report = await RegistryApp.InitialiseAsync(app, options); }
        catch (Smpc.Governance.Transparency.LogVerificationException e)
        {
            await Console.Error.WriteLineAsync($"The registry refuses to start: {e.Message}");
            await app.DisposeAsync();
            return 2;
        }
        await app.StartAsync(cancel);
        var urls = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        output.WriteLine($"Study registry listening on {string.Join(", ", urls)}");
        output.WriteLine($"Database: {database.Kind} {database.Display}");
        if (report.AdminPassword is not null)
            output.WriteLine($"Administrator: {report.AdminEmail}  password: {report.AdminPassword}  (shown once; it is stored only as a hash)");
        else output.WriteLine($"Administrator: {report.AdminEmail} (exists; its password was printed when it was created)");
        if (report.Demo is { } demo)
        {
            output.WriteLine($"Demo study: {demo.StudyTitle}  {urls.FirstOrDefault()}/studies/{demo.StudyId}");
            foreach (var (email, description) in demo.People) output.WriteLine($"  {email,-32} {description}");
            output.WriteLine(demo.Password is null ? "  (demo existed; passwords were printed when it was seeded)" : $"  password of every demo person: {demo.Password}  (shown once)");
            if (options.DemoStarted is { } started)
            {
                output.Flush();
                try { await started(new RegistryStarted(app.Services, urls.FirstOrDefault()?.TrimEnd('/') ?? options.Urls, demo, output), cancel); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    output.WriteLine($"The demo could not complete: {e.Message}");
                    await Console.Error.WriteLineAsync(e.ToString());
                }
            }
        }
        output.WriteLine("Press Ctrl+C to stop.");
        output.Flush();
        await app.WaitForShutdownAsync(cancel);
        return 0;
    }
}
