using System.CommandLine;
using System.Security.Cryptography;
using Smpc.Analytics;
using Smpc.Analytics.Transport;

namespace Smpc.Cli.Commands;

/// <summary>`smpc certs`: generate a study's CA, party and analyst certificates and its study.json.</summary>
internal static class CertsCommand
{
    public static Command Create()
    {
        var study = new Option<string>("--study") { Description = "Study name (letters, digits, '.', '_', '-').", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the certificates, keys and study.json.", Required = true };
        var host = new Option<string>("--host") { Description = "Host every party listens on.", DefaultValueFactory = _ => "127.0.0.1" };
        var ports = new Option<string>("--ports") { Description = "Ports of parties 0,1,2, comma-separated.", DefaultValueFactory = _ => "47000,47001,47002" };
        var contributors = new Option<string?>("--contributors") { Description = "Contributors (data stewards) to issue certificates for, comma-separated names; they upload with `smpc contribute`." };
        var pseudonymiser = new Option<string>("--pseudonymiser")
        {
            Description = "How contributors pseudonymise identifiers: keyed-hash (a key for the contributors, contributors.key) or oprf (the threshold OPRF of the three parties; no contributors' key).",
            DefaultValueFactory = _ => "keyed-hash",
        };
        pseudonymiser.AcceptOnlyFromAmong("keyed-hash", "oprf");
        var uploadPorts = new Option<string?>("--upload-ports") { Description = "Ports of parties 0,1,2's store services for uploads (default: each party port + 100, when there are contributors)." };
        var analyst = new Option<string?>("--analyst") { Description = "The analyst's account in the analyst certificate (its UID; what the parties check against the terms' allowedAnalysts). Default: 'analyst'." };
        var command = new Command("certs", "Create a study's certificate authority, one certificate per compute party, one for the analyst and one per contributor, and a study.json with the parties' endpoints.")
        {
            study, output, host, ports, contributors, uploadPorts, pseudonymiser, analyst,
        };
        command.SetAction(result =>
        {
            try
            {
                var portList = ParsePorts(result.GetValue(ports)!);
                var dir = result.GetValue(output)!;
                var names = (result.GetValue(contributors) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                var upload = result.GetValue(uploadPorts) is { } u ? ParsePorts(u, "--upload-ports") : null;
                var config = StudyCertificates.Create(result.GetValue(study)!, dir.FullName, portList, result.GetValue(host)!, contributors: names, uploadPorts: upload);
                if (result.GetValue(pseudonymiser) == "oprf")
                {
                    if (config.ContributorKey is { } key) File.Delete(config.Resolve(key));   // the OPRF's key is split across the parties
                    config = config with { Pseudonymiser = "oprf", ContributorKey = null };
                    config.Save(Path.Combine(dir.FullName, "study.json"));
                }
                if (result.GetValue(analyst) is { } account)
                {
                    config = StudyCertificates.IssueAnalyst(config, account, dir.FullName);
                    config.Save(Path.Combine(dir.FullName, "study.json"));
                }
                Console.WriteLine($"Study '{config.Study}': CA, parties 0-2 and analyst certificates written to {dir.FullName}");
                if (result.GetValue(analyst) is { } named) Console.WriteLine($"  analyst: account '{named}' ({config.Analyst.Certificate})");
                foreach (var p in config.Parties)
                    Console.WriteLine($"  party {p.Id}: {p.Host}:{p.Port}{(p.UploadPort is { } up ? $", uploads on {up}" : "")}  ({p.Certificate}, {p.Key})");
                foreach (var c in config.Contributors)
                    Console.WriteLine($"  contributor {c.Name}: ({c.Certificate}, {c.Key}) with {config.ContributorKey ?? "the parties' OPRF (no contributors' key)"}");
                Console.WriteLine($"  config: {Path.Combine(dir.FullName, "study.json")}");
                Console.WriteLine("Keys (*.key) are secret: give each party only its own key; keep ca.key offline" +
                    (config.ContributorKey is null ? "." : "; contributors.key goes to the contributors only, never to a compute party."));
                return 0;
            }
            catch (SmpcException e)
            {
                Console.Error.WriteLine($"certs: {e.Message}");
                return 2;
            }
        });
        command.Subcommands.Add(Renew());
        return command;
    }

    /// <summary>`smpc certs renew --config study.json --member party-1 [--days N] [--new-key]`.</summary>
    static Command Renew()
    {
        var config = new Option<FileInfo>("--config") { Description = "The study's study.json, beside ca.crt and ca.key.", Required = true };
        var member = new Option<string>("--member") { Description = "Whose certificate: party-0, party-1, party-2, analyst or contributor-NAME.", Required = true };
        var days = new Option<int>("--days") { Description = "Validity of the new certificate in days (at most the CA's).", DefaultValueFactory = _ => 365 };
        var newKey = new Option<bool>("--new-key") { Description = "Issue a fresh key pair too (after a key compromise). A party with a new key cannot read its store: its datasets are contributed again." };
        var renew = new Command("renew", "Renew one member's certificate with the study CA: a new serial and validity for the key it holds (a party keeps its store), or with --new-key a fresh key pair. The old certificate is kept as NAME.crt.SERIAL.old; revoke it in study.json's revokedCertificates.")
        {
            config, member, days, newKey,
        };
        renew.SetAction(result =>
        {
            try
            {
                var who = StudyMember.FromCommonName(result.GetValue(member))
                    ?? throw new SmpcException($"--member '{result.GetValue(member)}': use party-0, party-1, party-2, analyst or contributor-NAME.");
                if (result.GetValue(days) < 1) throw new SmpcException("--days must be at least 1.");
                var r = StudyCertificates.Renew(Smpc.Analytics.Session.StudyConfig.Load(result.GetValue(config)!.FullName), who, TimeSpan.FromDays(result.GetValue(days)), result.GetValue(newKey));
                Console.WriteLine($"{who.CommonName}: new certificate, serial {r.NewSerial}, valid until {r.NotAfter:yyyy-MM-dd HH:mm}Z{(r.NewKey ? ", with a new key" : ", same key")}.");
                Console.WriteLine($"  the old certificate (serial {r.OldSerial}) is kept as {r.OldCertificate}; to refuse it before it expires, add to study.json:");
                Console.WriteLine($"  \"revokedCertificates\": [{{ \"serial\": \"{r.OldSerial}\", \"reason\": \"superseded\" }}]");
                return 0;
            }
            catch (Exception e) when (e is SmpcException or IOException or CryptographicException)
            {
                Console.Error.WriteLine($"certs renew: {e.Message}");
                return 2;
            }
        });
        return renew;
    }

    static int[] ParsePorts(string text, string option = "--ports")
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3) throw new SmpcException($"{option} needs three comma-separated ports (parties 0, 1, 2); got '{text}'.");
        return [.. parts.Select(p => int.TryParse(p, out var port) ? port : throw new SmpcException($"{option}: '{p}' is not a port number."))];
    }
}
