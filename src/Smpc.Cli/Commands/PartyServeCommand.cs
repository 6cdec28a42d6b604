using System.CommandLine;
using System.Runtime.InteropServices;
using Smpc.Analytics;
using Smpc.Analytics.Session;
using Smpc.Analytics.Studies.Store;
using Smpc.Analytics.Transport;

namespace Smpc.Cli.Commands;

/// <summary>`smpc party serve`: a long-lived compute party service keeping contributed shares in a durable store.</summary>
internal static class PartyServeCommand
{
    public static Command Create()
    {
        var id = new Option<int>("--id") { Description = "This party's id: 0, 1 or 2.", Required = true };
        var configs = new Option<FileInfo[]>("--config")
        {
            Description = "A study's study.json; repeat for several studies. Without it, every study recorded in the store is resumed.",
            AllowMultipleArgumentsPerToken = false,
        };
        var store = new Option<DirectoryInfo>("--store") { Description = "The party's store folder (one subfolder per study).", Required = true };
        var health = new Option<string>("--health-urls")
        {
            Description = "Comma-separated http:// URLs of the health endpoint (default http://127.0.0.1:<47300+id>; port 0 picks one).",
        };
        var log = new Option<FileInfo?>("--log") { Description = "Append the JSON-lines log to this file instead of stderr." };
        var noCompute = new Option<bool>("--no-compute") { Description = "Only accept uploads; do not join the other parties to compute for analysts." };
        var command = new Command("serve", "Run this compute party as a service: accept contributors' uploads (mutual TLS, contributor certificates of each study) into an encrypted, checksummed store, join the other two parties and compute joins and aggregates for analysts under the data-use terms and disclosure control, with a health endpoint and JSON-lines logs. Stops on Ctrl+C or SIGTERM.")
        {
            id, configs, store, health, log, noCompute,
        };
        command.SetAction(result => Run(result.GetValue(id), result.GetValue(configs) ?? [], result.GetValue(store)!, result.GetValue(health), result.GetValue(log), result.GetValue(noCompute)));
        return command;
    }

    static int Run(int id, FileInfo[] configFiles, DirectoryInfo storeDir, string? healthUrls, FileInfo? logFile, bool noCompute)
    {
        string who = $"party {id}";
        if ((uint)id > 2) { Console.Error.WriteLine($"{who}: error: party id must be 0, 1 or 2; got {id}."); return 2; }
        TextWriter logWriter = logFile is null ? Console.Error : new StreamWriter(logFile.FullName, append: true) { AutoFlush = true };
        var log = new StoreLog(logWriter, id);
        var started = DateTimeOffset.UtcNow;
        try
        {
            using var store = new PartyStore(storeDir.FullName, id);
            var paths = configFiles.Length > 0 ? configFiles.Select(f => f.FullName).ToList() : [.. PartyStore.RecordedConfigs(store.Directory)];
            if (paths.Count == 0)
                throw new SmpcException($"No study to serve: give --config study.json (repeatable); the store '{store.Directory}' records none yet.");
            using var service = new UploadService(store, log);
            var computes = new List<PartyCompute>();
            foreach (var path in paths)
            {
                var config = StudyConfig.Load(path);
                var credentials = StudyCredentials.Load(config, StudyMember.Party(id));
                try { service.Serve(config, credentials, path); }
                catch { credentials.Dispose(); throw; }
                if (!noCompute) computes.Add(new PartyCompute(id, config, credentials, store, log));
            }
            foreach (var c in computes) c.Start();
            var urls = (healthUrls ?? $"http://127.0.0.1:{47300 + id}").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            using var healthEndpoint = new HealthEndpoint(urls, () => new
            {
                status = "ok",
                party = id,
                uptimeSeconds = (long)(DateTimeOffset.UtcNow - started).TotalSeconds,
                studies = service.Listeners.Select(l => new
                {
                    study = l.Study, uploadPort = l.Port, datasets = store.Datasets(l.Study).Count,
                    compute = computes.FirstOrDefault(c => c.Study == l.Study)?.State ?? "off",
                }).ToArray(),
            });
            foreach (var (study, port) in service.Listeners)
                Console.WriteLine($"{who}: serving study '{study}': uploads on port {port}, {store.Datasets(study).Count} dataset(s) in {Path.Combine(store.Directory, study)}");
            Console.WriteLine($"{who}: health on {string.Join(", ", healthEndpoint.Ports.Select((p, i) => new UriBuilder(urls[i]) { Port = p }.Uri.ToString()))}");
            Console.WriteLine($"{who}: ready");
            log.Info("service-started", message: $"{service.Listeners.Count} studies");

            using var stop = new ManualResetEventSlim();
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Set(); });
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Set(); });
            stop.Wait();
            log.Info("service-stopping");
            foreach (var c in computes) c.Dispose();
            return 0;
        }
        catch (Exception e) when (e is SmpcException or IOException or UnauthorizedAccessException)
        {
            log.Error("service-failed", message: e.Message);
            Console.Error.WriteLine($"{who}: error: {e.Message}");
            return e is CertificateRefusedException ? 3 : 2;
        }
        finally
        {
            if (logFile is not null) logWriter.Dispose();
        }
    }
}
