using System.Diagnostics;

namespace Smpc.Analytics.Synthetic.Tests;

/// <summary>Where the repository, the committed samples and the built `smpc` command are; runs the command as a user would.</summary>
internal static class Repo
{
    public const string DocumentedSeed = "2026", DocumentedSize = "10000";

    public static string Root { get; } = FindRoot();

    public static string Samples => Path.Combine(Root, "data", "synthetic");

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Smpc.Analytics.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Smpc.Analytics.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>The smpc.dll built in the same configuration as this test assembly (…/bin/&lt;Configuration&gt;/net10.0/).</summary>
    public static string Cli
    {
        get
        {
            string configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            string path = Path.Combine(Root, "src", "Smpc.Cli", "bin", configuration, "net10.0", "smpc.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"Build src/Smpc.Cli ({configuration}) first: {path} is missing.");
        }
    }

    public static (int ExitCode, string Out, string Err) Smpc(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Cli);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) { process.Kill(entireProcessTree: true); throw new TimeoutException("smpc did not finish within 5 minutes."); }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>Temporary folders for one test, deleted when xunit disposes the test class instance.</summary>
public abstract class TempFolders : IDisposable
{
    readonly List<string> _folders = [];

    protected string NewFolder()
    {
        string dir = Path.Combine(Path.GetTempPath(), "smpc-synth-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        _folders.Add(dir);
        return dir;
    }

    public void Dispose()
    {
        foreach (var dir in _folders) if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        GC.SuppressFinalize(this);
    }
}
