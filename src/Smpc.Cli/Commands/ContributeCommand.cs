using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Smpc.Analytics;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Session;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Studies.Store;
using Smpc.Governance.DataUse;
using Smpc.Analytics.Transport;

namespace Smpc.Cli.Commands;

/// <summary>`smpc contribute`: a data steward uploads its own dataset, secret-shared, to the study's three party services.</summary>
internal static class ContributeCommand
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static Command Create()
    {
        var config = new Option<FileInfo>("--config") { Description = "The study's study.json.", Required = true };
        var dataset = new Option<string>("--dataset") { Description = "The dataset's name in the study (letters, digits, '_', '-').", Required = true };
        var file = new Option<FileInfo>("--file") { Description = "The dataset: CSV with a header, Arrow IPC or Parquet.", Required = true };
        var schema = new Option<FileInfo>("--schema") { Description = "Its schema (e.g. drafted by `smpc schema infer`).", Required = true };
        var terms = new Option<FileInfo>("--terms") { Description = "Its data-use terms (JSON).", Required = true };
        var contributor = new Option<string?>("--contributor") { Description = "Which contributor of study.json you are (default: the only one, or the one of --cert)." };
        var cert = new Option<FileInfo?>("--cert") { Description = "Your contributor certificate (PEM), instead of the one study.json names." };
        var key = new Option<FileInfo?>("--key") { Description = "Its private key (PEM), with --cert." };
        var pseudonymKey = new Option<FileInfo?>("--pseudonym-key") { Description = "The study's contributors' keyed-hash key (default: contributorKey in study.json; not used when study.json says \"pseudonymiser\": \"oprf\")." };
        var receipts = new Option<FileInfo?>("--receipts") { Description = "Write the three parties' receipts to this JSON file." };
        var batch = new Option<int>("--batch-size") { Description = "Rows per batch sent to each party (default: about 8 MiB of shares per party and batch).", DefaultValueFactory = _ => 0 };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for a party to connect or answer.", DefaultValueFactory = _ => 60 };
        var command = new Command("contribute", "Validate a dataset, pseudonymise its identifiers, secret-share it and upload each compute party's shares over mutual TLS, committing at all three or none. Exits 0 only when all three parties acknowledged.")
        {
            config, dataset, file, schema, terms, contributor, cert, key, pseudonymKey, receipts, batch, timeout,
        };
        command.SetAction(result =>
        {
            try
            {
                var study = StudyConfig.Load(result.GetValue(config)!.FullName);
                using var credentials = LoadCredentials(study, result.GetValue(contributor), result.GetValue(cert), result.GetValue(key));
                var pseudonym = PseudonymKey(study, result.GetValue(pseudonymKey)?.FullName);
                var path = result.GetValue(file)!.FullName;
                var upload = DatasetUpload.Run(study, credentials, result.GetValue(dataset)!, path, TableSchema.Load(result.GetValue(schema)!.FullName),
                    DataUseTerms.Load(result.GetValue(terms)!.FullName), pseudonym, new UploadOptions
                    {
                        BatchSize = result.GetValue(batch),
                        Timeout = TimeSpan.FromSeconds(result.GetValue(timeout)),
                        Progress = line => Console.Error.WriteLine($"contribute: {line}"),
                    });
                Console.WriteLine($"Dataset '{upload.Dataset}' ({upload.Rows} rows, file SHA-256 {upload.FileSha256}) {(upload.WasAlreadyCommitted ? "was already" : "is")} committed at all three parties; upload {upload.UploadId}.");
                foreach (var r in upload.Receipts)
                    Console.WriteLine($"  party {r.PartyId}: {r.Rows} rows, {r.StoredBytes} bytes stored, committed {r.CommittedAt:u}");
                if (result.GetValue(receipts) is { } out_)
                    File.WriteAllText(out_.FullName, JsonSerializer.Serialize(upload, Json) + "\n");
                return 0;
            }
            catch (DataValidationException e)
            {
                Console.Error.WriteLine(e.Message);
                Console.Error.WriteLine("contribute: nothing was sent to any party.");
                return 1;
            }
            catch (Exception e) when (e is SmpcException or IOException or UnauthorizedAccessException or FormatException)
            {
                Console.Error.WriteLine($"contribute: error: {e.Message}");
                return e is PeerFailureException or CertificateRefusedException ? 3 : 2;
            }
        });
        return command;
    }

    /// <summary>The contributors' keyed-hash key: <paramref name="path"/>, else contributorKey of study.json; null when the
    /// study pseudonymises with the OPRF (evaluated by the three parties: no contributors' key).</summary>
    internal static byte[]? PseudonymKey(StudyConfig study, string? path)
    {
        if (study.Pseudonymiser == "oprf") return null;
        var keyPath = path ?? (study.ContributorKey is { } k ? study.Resolve(k) : throw new SmpcException("study.json names no contributorKey, the contributors' keyed-hash key (smpc contribute takes its path with --pseudonym-key)."));
        if (!File.Exists(keyPath)) throw new SmpcException($"The pseudonymisation key '{keyPath}' does not exist.");
        return Convert.FromHexString(File.ReadAllText(keyPath).Trim());
    }

    static StudyCredentials LoadCredentials(StudyConfig study, string? name, FileInfo? cert, FileInfo? key)
    {
        if (cert is not null)
        {
            if (key is null) throw new SmpcException("--cert needs --key (the certificate's private key).");
            using var c = X509CertificateLoader.LoadCertificateFromFile(cert.FullName);
            var cn = c.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            if (!cn.StartsWith("contributor-", StringComparison.Ordinal)) throw new SmpcException($"'{cert.FullName}' is the certificate of '{cn}', not of a contributor.");
            return StudyCredentials.Load(study.Study, StudyMember.ContributorNamed(name ?? cn["contributor-".Length..]), study.Resolve(study.Ca), cert.FullName, key.FullName, study.RevokedCertificates);
        }
        name ??= study.Contributors.Count == 1 ? study.Contributors[0].Name
            : throw new SmpcException($"Say which contributor you are with --contributor (study '{study.Study}' has {(study.Contributors.Count == 0 ? "none" : string.Join(", ", study.Contributors.Select(c => c.Name)))}).");
        return StudyCredentials.Load(study, StudyMember.ContributorNamed(name));
    }
}
