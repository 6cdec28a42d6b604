using Microsoft.Playwright;

namespace Smpc.Registry.Tests.Infrastructure;

/// <summary>
/// Real headless Chromium for the browser tests: Debian's <c>/usr/bin/chromium</c> driven by Playwright for .NET
/// through its executable path (no browser download). Screenshots go to <c>out/test-artifacts/registry/</c> at the
/// repository's root. Chromium runs without its sandbox when the tests run as root (its sandbox refuses root).
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string Executable = "/usr/bin/chromium";

    IPlaywright? playwright;

    public IBrowser Chromium { get; private set; } = null!;

    public static string Artifacts { get; } = Path.Combine(RepositoryRoot(), "out", "test-artifacts", "registry");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable)) throw new InvalidOperationException($"{Executable} is missing: install Debian's chromium package (scripts/install-deps.sh).");
        playwright = await Playwright.CreateAsync();
        Chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable, Headless = true, Args = Environment.UserName == "root" ? ["--no-sandbox"] : [],
        });
        Directory.CreateDirectory(Artifacts);
    }

    /// <summary>A fresh browser context (its own cookies) on the registry's base address, as <c>localhost</c> (WebAuthn
    /// needs a domain, not an IP address, as relying party).</summary>
    public async Task<IPage> PageAsync(RegistryServer server)
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions { BaseURL = $"http://localhost:{server.BaseAddress.Port}" });
        var page = await context.NewPageAsync();
        // The suite shares two cores with the rest of the tests; waits get the time a loaded machine needs.
        page.SetDefaultTimeout(120_000);
        page.SetDefaultNavigationTimeout(120_000);
        return page;
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Chromium is not null) await Chromium.DisposeAsync();
        playwright?.Dispose();
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Smpc.Analytics.sln"))) return dir.FullName;
        return Path.GetTempPath();
    }
}
