using System.CommandLine;
using System.Text.Json;
using Smpc.Governance.Transparency;

namespace Smpc.Cli.Commands;

/// <summary>
/// `smpc audit verify FILE` checks an exported transparency log (every entry, head, signature, cosignature, and any
/// heads the verifier holds) and names the first bad entry; `smpc audit prove --log FILE --release ID` prints the
/// inclusion proof of a release (or `--entry N`); `smpc audit check-proof PROOF --keys FILE` checks one offline.
/// Exit codes: 0 sound, 1 not sound, 2 unreadable input.
/// </summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var audit = new Command("audit", "Check the study's transparency log and its proofs (RFC 9162 Merkle tree, signed and countersigned heads).");
        audit.Subcommands.Add(Export());
        audit.Subcommands.Add(Verify());
        audit.Subcommands.Add(Prove());
        audit.Subcommands.Add(CheckProof());
        audit.Subcommands.Add(WitnessCommand.Key());
        audit.Subcommands.Add(WitnessCommand.Cosign());
        return audit;
    }

    static Command Verify()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "An exported log (format smpc-transparency-log/1)." };
        var heads = new Option<FileInfo[]>("--head") { Description = "A signed tree head you hold from earlier (JSON); the log must extend it. Repeatable.", AllowMultipleArgumentsPerToken = true };
        var keys = new Option<FileInfo?>("--keys") { Description = "The log's and witnesses' public keys as you know them (JSON with 'log' and 'witnesses', e.g. from study.json or an earlier export); default: the keys in FILE." };
        var cosigned = new Option<int>("--require-cosignatures") { Description = "How many witnesses must have countersigned the latest head.", DefaultValueFactory = _ => 0 };
        var command = new Command("verify", "Verify an exported log; exit 0 when sound, 1 naming the first bad entry.") { file, heads, keys, cosigned };
        command.SetAction(result => Run(() =>
        {
            var log = LogExport.Load(result.GetValue(file)!.FullName);
            var (trustedLog, trustedWitnesses) = LoadKeys(result.GetValue(keys));
            var held = (result.GetValue(heads) ?? []).Select(f => ReadHead(f.FullName)).ToList();
            var verification = LogVerifier.Verify(log, new LogVerifyOptions
            {
                TrustedLog = trustedLog, TrustedWitnesses = trustedWitnesses, HeldHeads = held,
                RequiredCosignatures = result.GetValue(cosigned),
            });
            Console.Out.WriteLine(verification.Summary);
            foreach (var p in verification.Problems.OrderBy(p => p.FirstBadEntry).Skip(1))
                Console.Out.WriteLine($"  also: entry {p.FirstBadEntry}: {p.Message}");
            if (result.GetValue(keys) is null) Console.Error.WriteLine($"note: keys taken from the file itself ({log.Log}); pass --keys to pin them.");
            return verification.Sound ? 0 : 1;
        }));
        return command;
    }

    static Command Export()
    {
        var db = new Option<string?>("--db") { Description = "The registry's database: DIR/registry.db (SQLite) or a connection string (Host=… for PostgreSQL)." };
        var registry = new Option<string?>("--registry") { Description = "Or a running registry's URL (an administrator's personal access token in --token or SMPC_REGISTRY_TOKEN)." };
        var token = new Option<string?>("--token") { Description = "With --registry: a personal access token." };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the exported log.", Required = true };
        var command = new Command("export", "Export the registry's transparency log: from its database (an operator's offline copy, read-only) or from a running registry.") { db, registry, token, output };
        command.SetAction(async (result, ct) =>
        {
            try
            {
                LogExport export;
                if (result.GetValue(registry) is { } url)
                {
                    if (result.GetValue(db) is not null) throw new LogFormatException("Give --db or --registry, not both.");
                    var pat = result.GetValue(token) ?? Environment.GetEnvironmentVariable("SMPC_REGISTRY_TOKEN")
                        ?? throw new LogFormatException("--token or SMPC_REGISTRY_TOKEN: exporting from a registry needs an administrator's token.");
                    using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2) };
                    http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", pat);
                    using var response = await http.GetAsync("/api/log/export", ct);
                    var body = await response.Content.ReadAsStringAsync(ct);
                    if (!response.IsSuccessStatusCode) throw new LogFormatException($"GET {url.TrimEnd('/')}/api/log/export: {(int)response.StatusCode} {body}");
                    export = LogExport.Parse(body, url);
                }
                else
                {
                    var text = result.GetValue(db) ?? throw new LogFormatException("Give --db DIR/registry.db or --registry URL.");
                    if (!text.Contains('=') && !File.Exists(text)) throw new LogFormatException($"{text}: no such database file.");
                    var database = Smpc.Registry.Data.RegistryDatabase.Resolve(text.Contains('=') ? text : $"Data Source={Path.GetFullPath(text)};Mode=ReadOnly", Path.GetTempPath());
                    await using var context = database.CreateContext();
                    export = await Smpc.Registry.Transparency.RegistryLogExport.ReadAsync(context, ct);
                }
                export.Save(result.GetValue(output)!.FullName);
                Console.Out.WriteLine($"{export.Entries.Count} entries and {export.Heads.Count} signed heads written to {result.GetValue(output)!.FullName}");
                return 0;
            }
            catch (Exception e) when (e is LogFormatException or IOException or UnauthorizedAccessException or HttpRequestException or TaskCanceledException
                                          or Microsoft.Data.Sqlite.SqliteException or System.Data.Common.DbException)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
        });
        return command;
    }

    static Command Prove()
    {
        var log = new Option<FileInfo>("--log") { Description = "An exported log.", Required = true };
        var release = new Option<string?>("--release") { Description = "The release's id (e.g. R09): the log entry of kind Release with data release=ID." };
        var entry = new Option<long?>("--entry") { Description = "The entry's index instead of a release id." };
        var output = new Option<FileInfo?>("--out") { Description = "Write the proof here instead of stdout." };
        var command = new Command("prove", "Print the inclusion proof of one entry in the latest signed head, for a steward to keep and check offline.") { log, release, entry, output };
        command.SetAction(result => Run(() =>
        {
            var export = LogExport.Load(result.GetValue(log)!.FullName);
            var rebuilt = LogVerifier.Verify(export);
            if (!rebuilt.Sound) { Console.Error.WriteLine($"The log is not sound, no proof issued: {rebuilt.Summary}"); return 1; }
            long index = result.GetValue(entry) ?? FindRelease(export, result.GetValue(release)
                ?? throw new LogFormatException("Name the entry: --release ID or --entry N."));
            if (index < 0 || index >= export.Entries.Count) throw new LogFormatException($"The log has no entry {index} (it holds {export.Entries.Count}).");
            var head = export.Heads.OrderBy(h => h.Size).Last();
            var leaves = export.Entries.Take((int)head.Size).Select(e => e.LeafHash()).ToList();
            var proof = new InclusionProof(export.Entries[(int)index], head, MerkleTree.InclusionProof(leaves, index, (int)head.Size));
            proof.Verify(export.Log);
            var json = proof.ToJson();
            if (result.GetValue(output) is { } f) { File.WriteAllText(f.FullName, json); Console.Error.WriteLine($"proof of {proof.Entry} written to {f.FullName}"); }
            else Console.Out.WriteLine(json);
            return 0;
        }));
        return command;
    }

    static Command CheckProof()
    {
        var file = new Argument<FileInfo>("PROOF") { Description = "An inclusion proof (format smpc-inclusion-proof/1)." };
        var keys = new Option<FileInfo>("--keys") { Description = "The log's and witnesses' public keys (JSON with 'log' and 'witnesses'; an exported log will do).", Required = true };
        var witnesses = new Option<bool>("--require-witnesses") { Description = "Require a cosignature of every witness in --keys on the proof's head." };
        var command = new Command("check-proof", "Check an inclusion proof offline: the head's signature, the witnesses' cosignatures and the path.") { file, keys, witnesses };
        command.SetAction(result => Run(() =>
        {
            var path = result.GetValue(file)!.FullName;
            if (!File.Exists(path)) throw new LogFormatException($"{path}: no such file.");
            var proof = InclusionProof.Parse(File.ReadAllText(path), path);
            var (log, ws) = LoadKeys(result.GetValue(keys));
            try
            {
                proof.Verify(log!, result.GetValue(witnesses) ? ws : null);
                Console.Out.WriteLine($"sound: {proof.Entry} is in the {proof.Head}");
                return 0;
            }
            catch (LogVerificationException e)
            {
                Console.Out.WriteLine($"NOT SOUND: entry {e.FirstBadEntry}: {e.Message}");
                return 1;
            }
        }));
        return command;
    }

    static long FindRelease(LogExport export, string release)
    {
        var found = export.Entries.Where(e => e.Kind == LogEntryKind.Release && e.Data.TryGetValue("release", out var id) && id == release).ToList();
        return found.Count switch
        {
            1 => found[0].Index,
            0 => throw new LogFormatException($"The log has no release '{release}'."),
            _ => found[^1].Index,
        };
    }

    static SignedTreeHead ReadHead(string path)
    {
        if (!File.Exists(path)) throw new LogFormatException($"{path}: no such file.");
        try { using var doc = JsonDocument.Parse(File.ReadAllText(path)); return SignedTreeHead.Read(doc.RootElement, path); }
        catch (JsonException e) { throw new LogFormatException($"{path}: not JSON ({e.Message})."); }
    }

    internal static (LogPublicKey? Log, IReadOnlyList<LogPublicKey>? Witnesses) LoadKeys(FileInfo? file)
    {
        if (file is null) return (null, null);
        if (!File.Exists(file.FullName)) throw new LogFormatException($"{file.FullName}: no such file.");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file.FullName));
            var root = doc.RootElement;
            var log = root.TryGetProperty("log", out var l) ? Key(l) : throw new LogFormatException($"{file.FullName}: no 'log' key.");
            var witnesses = root.TryGetProperty("witnesses", out var w) ? w.EnumerateArray().Select(Key).ToList() : [];
            return (log, witnesses);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new LogFormatException($"{file.FullName}: not a key file ({e.Message}).");
        }

        static LogPublicKey Key(JsonElement e) => new(e.GetProperty("name").GetString()!, Convert.FromBase64String(e.GetProperty("publicKey").GetString()!));
    }

    static int Run(Func<int> action)
    {
        try { return action(); }
        catch (Exception e) when (e is LogFormatException or LogVerificationException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
    }
}
