using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Smpc.Registry.Tests.Web;

/// <summary>`smpc registry` as a person runs it: a process that prints the URL and the one-time passwords.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task Smpc_registry_starts_on_loopback_prints_its_url_and_a_generated_admin_password_and_seeds_the_demo()
    {
        string data = Path.Combine(Path.GetTempPath(), "smpc-registry-cli-" + Guid.NewGuid().ToString("N")[..10]);
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { FindCli(), "registry", "--urls", "http://127.0.0.1:0", "--data", data, "--demo" }) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var lines = new List<string>();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                lines.Add(line);
                if (line.StartsWith("Press Ctrl+C")) break;
            }
            string output = string.Join("\n", lines);
            var url = Regex.Match(output, @"listening on (http://127\.0\.0\.1:\d+)").Groups[1].Value;
            Assert.True(url.Length > 0, "no URL printed:\n" + output);
            Assert.Matches(@"Administrator: admin@registry\.localhost  password: [A-Za-z0-9]{20}  \(shown once", output);
            Assert.Contains("Database: Sqlite Data Source=" + Path.Combine(data, "registry.db"), output);
            Assert.Contains("riley.chen@bank.example", output);
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/studies")).StatusCode);
            Assert.True(File.Exists(Path.Combine(data, "registry.db")));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>src/Smpc.Cli/bin/&lt;this configuration&gt;/&lt;tfm&gt;/smpc.dll (built before this project).</summary>
    internal static string FindCli()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Smpc.Analytics.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        string config = typeof(CommandLineTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        string tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        string path = Path.Combine(dir.FullName, "src", "Smpc.Cli", "bin", config, tfm, "smpc.dll");
        Assert.True(File.Exists(path), $"smpc.dll was not built: expected {path}. Build src/Smpc.Cli first.");
        return path;
    }
}
