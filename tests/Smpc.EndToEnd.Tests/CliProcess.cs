using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace Smpc.EndToEnd.Tests;

/// <summary>One `dotnet smpc.dll …` OS process with its output captured; killed (with its children) on dispose.</summary>
internal sealed class CliProcess : IDisposable
{
    readonly Process _process;
    readonly StringBuilder _stdout = new(), _stderr = new();
    readonly Lock _gate = new();

    CliProcess(Process process) => _process = process;

    public string Stdout { get { lock (_gate) return _stdout.ToString(); } }
    public string Stderr { get { lock (_gate) return _stderr.ToString(); } }
    public bool HasExited => _process.HasExited;
    public int Id => _process.Id;

    public static CliProcess Start(string workingDirectory, params string[] args) => Launch(null, workingDirectory, args);

    /// <summary>`ip netns exec NAMESPACE dotnet smpc.dll …`: the process sees only that network namespace (ip execs
    /// dotnet in place, so killing this process kills smpc).</summary>
    public static CliProcess StartIn(string networkNamespace, string workingDirectory, params string[] args) => Launch(networkNamespace, workingDirectory, args);

    static CliProcess Launch(string? networkNamespace, string workingDirectory, string[] args)
    {
        var info = new ProcessStartInfo(networkNamespace is null ? DotnetHost() : "ip")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (networkNamespace is not null)
            foreach (var a in new[] { "netns", "exec", networkNamespace, DotnetHost() }) info.ArgumentList.Add(a);
        info.ArgumentList.Add(FindCli());
        foreach (var a in args) info.ArgumentList.Add(a);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (cli._gate) cli._stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (cli._gate) cli._stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Waits until stdout contains <paramref name="text"/> (false on timeout or if the process exits first).</summary>
    public bool WaitForOutput(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Stdout.Contains(text, StringComparison.Ordinal)) return true;
            if (_process.HasExited) return Stdout.Contains(text, StringComparison.Ordinal);
            Thread.Sleep(20);
        }
        return false;
    }

    /// <summary>Exit code; fails the test (after killing the process) if it runs past <paramref name="timeout"/>.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            Kill();
            Assert.Fail($"smpc {string.Join(' ', _process.StartInfo.ArgumentList.SkipWhile(a => !a.EndsWith("smpc.dll", StringComparison.Ordinal)).Skip(1))} did not exit within {timeout.TotalSeconds:0} s.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        }
        _process.WaitForExit();   // drain the output readers
        return _process.ExitCode;
    }

    public void Kill()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
        _process.WaitForExit(10_000);
    }

    public override string ToString() => $"stdout:\n{Stdout}\nstderr:\n{Stderr}";

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    static string? _cli;

    /// <summary>
    /// The smpc.dll built with this test project: src/Smpc.Cli/bin/&lt;configuration&gt;/&lt;tfm&gt;/smpc.dll, the
    /// configuration being this assembly's (Debug or Release); the other configuration only as a fallback.
    /// </summary>
    public static string FindCli()
    {
        if (_cli is not null) return _cli;
        var dir = new DirectoryInfo(RepositoryRoot());
        string config = typeof(CliProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        string tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;   // e.g. net10.0
        var bin = Path.Combine(dir.FullName, "src", "Smpc.Cli", "bin");
        var preferred = Path.Combine(bin, config, tfm, "smpc.dll");
        if (File.Exists(preferred)) return _cli = preferred;
        var any = Directory.Exists(bin) ? Directory.GetFiles(bin, "smpc.dll", SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault() : null;
        return _cli = any ?? throw new FileNotFoundException($"smpc.dll was not built: expected {preferred}. Build src/Smpc.Cli first.");
    }

    /// <summary>The repository's root folder (the one holding Smpc.Analytics.sln) above this test assembly.</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Smpc.Analytics.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new FileNotFoundException($"Cannot find the repository root (Smpc.Analytics.sln) above {AppContext.BaseDirectory}.");
    }

    /// <summary>Distinct loopback ports that were free a moment ago.</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        foreach (var l in listeners) l.Start();
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var l in listeners) l.Stop();
        return ports;
    }

    /// <summary>A fresh temporary folder.</summary>
    public static string TempFolder(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)]);
        Directory.CreateDirectory(path);
        return path;
    }
}
