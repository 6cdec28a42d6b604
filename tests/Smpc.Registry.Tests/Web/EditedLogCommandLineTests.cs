using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Smpc.Governance.Transparency;

namespace Smpc.Registry.Tests.Web;

/// <summary>
/// A log row edited behind the registry's back, as someone with access to its SQLite file would: the append-only
/// trigger dropped, then one entry's data or summary changed in place, its leaf hash left as it was. For a terms
/// version's data and a stage transition's summary in the demo's log, each on a copy of the stopped registry's data:
/// `smpc registry` refuses to start, naming the entry, and `smpc audit export --db` followed by `smpc audit verify`
/// names it as the first bad entry. (Edits of every kind of entry, in memory: TransparencyLogTests; in the database
/// through the registry's own classes: LogStorageContract.)
/// </summary>
public sealed class EditedLogCommandLineTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("smpc-edited-log-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>`smpc registry --data DIR` until it prints "Press Ctrl+C" (then stopped) or exits: its exit code (null
    /// when it started) and its output.</summary>
    static (int? Code, string Output) Registry(string data, params string[] more)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { CommandLineTests.FindCli(), "registry", "--urls", "http://127.0.0.1:0", "--data", data }.Concat(more)) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            while (process.StandardOutput.ReadLineAsync(timeout.Token).AsTask().GetAwaiter().GetResult() is { } line)
            {
                lines.Add(line);
                if (line.StartsWith("Press Ctrl+C", StringComparison.Ordinal)) return (null, string.Join("\n", lines));
            }
            Assert.True(process.WaitForExit(30_000), "smpc registry did not exit");
            return (process.ExitCode, string.Join("\n", lines) + "\n" + stderr.GetAwaiter().GetResult());
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    [Fact]
    public void An_edited_log_row_stops_the_registry_at_start_and_is_named_by_audit_verify()
    {
        // The demo seeded by a real registry, which is then stopped; its log as exported.
        var pristine = Path.Combine(_dir, "pristine");
        var started = Registry(pristine, "--demo");
        Assert.True(started.Code is null, started.Output);
        var export = AuditCommandLineTests.Smpc("audit", "export", "--db", Path.Combine(pristine, "registry.db"), "--out", Path.Combine(_dir, "pristine.json"));
        Assert.True(export.Code == 0, export.Out + export.Err);
        var entries = LogExport.Load(Path.Combine(_dir, "pristine.json")).Entries;
        Assert.Equal(0, AuditCommandLineTests.Smpc("audit", "verify", Path.Combine(_dir, "pristine.json")).Code);

        foreach (var (kind, edited) in new[] { (LogEntryKind.TermsVersion, "data"), (LogEntryKind.Transition, "summary") })
        {
            var entry = entries.Last(e => e.Kind == kind);   // (not the first entry: the verifier must find it past sound ones)
            var copy = Path.Combine(_dir, entry.Kind.ToString());
            CopyDirectory(pristine, copy);
            Edit(Path.Combine(copy, "registry.db"), entry, edited);

            var refused = Registry(copy);
            Assert.True(refused.Code == 2, $"the registry started (or failed otherwise) on a log whose entry {entry.Index} ({entry.Kind}) had its {edited} edited:\n{refused.Output}");
            Assert.Contains($"The registry refuses to start: The stored transparency log's entry {entry.Index} was edited behind the registry's back", refused.Output);

            var file = Path.Combine(_dir, $"{entry.Kind}.json");
            var exported = AuditCommandLineTests.Smpc("audit", "export", "--db", Path.Combine(copy, "registry.db"), "--out", file);
            Assert.True(exported.Code == 0, exported.Out + exported.Err);
            var verify = AuditCommandLineTests.Smpc("audit", "verify", file);
            Assert.True(verify.Code == 1, $"{entry.Kind}: {verify.Out}{verify.Err}");
            Assert.Contains($"first bad entry {entry.Index}", verify.Out);
        }
    }

    /// <summary>Changes the stored text of <paramref name="entry"/> as an attacker with the file would: its first data
    /// value (<paramref name="field"/> "data") or its summary; the leaf hash stays.</summary>
    static void Edit(string database, LogEntry entry, string field)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using (var drop = connection.CreateCommand())
        {
            drop.CommandText = "DROP TRIGGER transparency_entries_no_update";
            drop.ExecuteNonQuery();
        }
        string canonical;
        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT \"Canonical\" FROM transparency_entries WHERE \"Position\" = $p";
            read.Parameters.AddWithValue("$p", entry.Index);
            canonical = (string)read.ExecuteScalar()!;
        }
        var node = JsonNode.Parse(canonical)!.AsObject();
        if (field == "data")
        {
            var data = Assert.IsType<JsonObject>(node["data"]);
            Assert.True(data.Count > 0, $"{entry} has no data to edit");
            var key = data.First().Key;
            data[key] = data[key]!.GetValue<string>() + "-amended";
        }
        else node["summary"] = node["summary"]!.GetValue<string>() + " (amended)";
        using (var update = connection.CreateCommand())
        {
            update.CommandText = "UPDATE transparency_entries SET \"Canonical\" = $c WHERE \"Position\" = $p";
            update.Parameters.AddWithValue("$c", node.ToJsonString());
            update.Parameters.AddWithValue("$p", entry.Index);
            Assert.Equal(1, update.ExecuteNonQuery());
        }
    }

    static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
