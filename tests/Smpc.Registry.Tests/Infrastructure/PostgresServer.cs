using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace Smpc.Registry.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL server for the tests, started here: Debian's binaries (<c>/usr/lib/postgresql/N/bin</c>, installed
/// with apt-get when missing and the tests run as root, as in CI), a fresh cluster made by <c>initdb</c> in a temporary
/// folder (as the <c>postgres</c> user when running as root: the server refuses to run as root), listening on
/// 127.0.0.1 on a free port with its socket in that folder, trust authentication for loopback only, fsync off (a
/// throw-away cluster). Stopped and deleted when the test collection ends. One server; each test class makes its own
/// database (<see cref="CreateDatabaseAsync"/>).
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    string root = "", data = "", bin = "";
    Process? server;
    readonly StringBuilder log = new();
    bool asPostgresUser;

    public int Port { get; private set; }

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=smpc;Database={database};Pooling=true;Timeout=30";

    public async Task InitializeAsync()
    {
        bin = FindBinaries() ?? await InstallAsync();
        asPostgresUser = Environment.UserName == "root";
        root = Path.Combine(Path.GetTempPath(), "smpc-pg-" + Guid.NewGuid().ToString("N")[..10]);
        data = Path.Combine(root, "data");
        Directory.CreateDirectory(root);
        if (asPostgresUser) await RunAsync("chown", ["postgres:postgres", root]);
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "smpc", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"], asPostgresUser);
        Port = FreePort();
        server = Start(Path.Combine(bin, "postgres"),
            ["-D", data, "-p", Port.ToString(), "-k", root, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
             "-c", "full_page_writes=off", "-c", "max_connections=100"], asPostgresUser);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await using var c = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
                await c.OpenAsync();
                return;
            }
            catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
            {
                if (server.HasExited) throw new InvalidOperationException($"PostgreSQL exited with {server.ExitCode}: {log}");
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"PostgreSQL did not accept connections on 127.0.0.1:{Port} within 60 s: {log}");
                await Task.Delay(200);
            }
        }
    }

    /// <summary>A new, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        string name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)].ToLowerInvariant();
        await using var c = new NpgsqlConnection(ConnectionString("postgres"));
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", c);
        await cmd.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (server is { HasExited: false })
        {
            try { await RunAsync(Path.Combine(bin, "pg_ctl"), ["stop", "-D", data, "-m", "immediate", "-w", "-t", "20"], asPostgresUser); }
            catch (InvalidOperationException) { }
            if (!server.WaitForExit(10_000)) server.Kill(entireProcessTree: true);
        }
        server?.Dispose();
        try { if (root.Length > 0) Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    static string? FindBinaries()
    {
        const string Base = "/usr/lib/postgresql";
        if (!Directory.Exists(Base)) return null;
        return Directory.GetDirectories(Base)
            .Where(d => File.Exists(Path.Combine(d, "bin", "initdb")) && File.Exists(Path.Combine(d, "bin", "postgres")))
            .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
            .Select(d => Path.Combine(d, "bin")).FirstOrDefault();
    }

    /// <summary>Installs Debian's <c>postgresql</c> package (as scripts/install-deps.sh does) when running as root.</summary>
    static async Task<string> InstallAsync()
    {
        if (Environment.UserName != "root")
            throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb) and the tests are not running as root: run scripts/install-deps.sh.");
        await RunAsync("bash", ["-c", "export DEBIAN_FRONTEND=noninteractive; apt-get -o DPkg::Lock::Timeout=600 update -q && apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends postgresql"]);
        return FindBinaries() ?? throw new InvalidOperationException("apt-get installed postgresql but no /usr/lib/postgresql/*/bin/initdb was found.");
    }

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    Process Start(string file, string[] args, bool asPostgres)
    {
        var info = Info(file, args, asPostgres);
        var p = new Process { StartInfo = info };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    static async Task RunAsync(string file, string[] args, bool asPostgres = false)
    {
        using var p = Process.Start(Info(file, args, asPostgres))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await p.WaitForExitAsync(timeout.Token);
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {p.ExitCode}: {await stdout}{await stderr}");
    }

    static ProcessStartInfo Info(string file, string[] args, bool asPostgres)
    {
        var info = new ProcessStartInfo(asPostgres ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asPostgres) foreach (var a in new[] { "-u", "postgres", "--", file }) info.ArgumentList.Add(a);
        foreach (var a in args) info.ArgumentList.Add(a);
        return info;
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
