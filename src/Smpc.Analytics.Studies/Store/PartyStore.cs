// A compute party's durable store of contributed shares, one folder per study.
// Layout: DIR/<study>/store.json (party, key check value, config path), DIR/<study>/datasets/<dataset>.json (the
// commit record) and <dataset>.<upload>.shares (the party's Arrow IPC share file, encrypted: EncryptedFile),
// DIR/<study>/staging/<upload>.* (uploads written but not yet committed).
// Durability: share files are written under a temporary name, flushed to disk and renamed; a commit record is
// written the same way and is the commit point (a file without one is not a dataset). Integrity: the encrypted
// file's SHA-256 (recorded at commit) is checked before decryption, AES-GCM authenticates every chunk, and the
// share file's own row checksums and header (study, dataset, party, upload) are checked as it is read.
// Isolation: a study's files live under its own folder and are encrypted under a key derived for that study only;
// the upload service admits to a study only the contributors certified by that study's CA.
// Leakage at rest: per dataset the schema, row count, sizes, contributor name and file hash (in the commit
// record, in clear); the shares themselves are encrypted and, decrypted, uniform (one party's view).
using System.Text.RegularExpressions;
using Smpc.Analytics.Columnar.Ipc;
using Smpc.Governance.DataUse;
using Smpc.Analytics.Session;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Studies.Store;

/// <summary>
/// One compute party's store: <see cref="Studies"/>, <see cref="Datasets"/> and <see cref="Load"/> for the compute
/// side, staging and commit for the upload service (<see cref="UploadService"/>). A study is opened with the party's
/// credentials of that study, which give its store key (<see cref="StoreKey"/>); a store written under another key
/// is refused.
/// </summary>
public sealed partial class PartyStore : IDisposable
{
    readonly Dictionary<string, (StoreKey Key, StoreStudyInfo Info)> _studies = new(StringComparer.Ordinal);
    readonly Lock _gate = new();

    public PartyStore(string directory, int partyId)
    {
        if ((uint)partyId > 2) throw new SmpcException($"Party id {partyId} is not 0, 1 or 2.");
        Directory = Path.GetFullPath(directory);
        PartyId = partyId;
        System.IO.Directory.CreateDirectory(Directory);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Directory { get; }
    public int PartyId { get; }

    /// <summary>The studies opened in this store, in name order.</summary>
    public IReadOnlyList<string> Studies { get { lock (_gate) return [.. _studies.Keys.Order(StringComparer.Ordinal)]; } }

    /// <summary>The study configs recorded in a store folder (what a restart without <c>--config</c> resumes).</summary>
    public static IReadOnlyList<string> RecordedConfigs(string directory) =>
        !System.IO.Directory.Exists(directory) ? []
        : [.. System.IO.Directory.EnumerateFiles(directory, "store.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
              .Select(f => StoreJson.Read<StoreStudyInfo>(f).Config)];

    /// <summary>Opens (or creates) <paramref name="config"/>'s study with this party's credentials. Refuses a store
    /// folder written by another party or under another key.</summary>
    public void Open(StudyConfig config, StudyCredentials party, string? configPath = null)
    {
        if (party.Self != StudyMember.Party(PartyId)) throw new StoreException($"The store at '{Directory}' is party {PartyId}'s; it cannot be opened with the credentials of {party.Self}.");
        if (party.Study != config.Study) throw new StoreException($"The credentials are for study '{party.Study}', not '{config.Study}'.");
        var key = StoreKey.Derive(party, config.Study);
        var folder = StudyFolder(config.Study);
        var infoPath = Path.Combine(folder, "store.json");
        StoreStudyInfo info;
        if (File.Exists(infoPath))
        {
            info = StoreJson.Read<StoreStudyInfo>(infoPath);
            if (info.PartyId != PartyId || info.Study != config.Study)
            {
                key.Dispose();
                throw new StoreException($"'{infoPath}' belongs to party {info.PartyId} of study '{info.Study}', not to party {PartyId} of '{config.Study}': refusing to open it.");
            }
            if (info.KeyCheck != key.CheckValue)
            {
                key.Dispose();
                throw new StoreException($"The store of study '{config.Study}' at '{folder}' was written under another key than party {PartyId}'s current one " +
                    "(its certificate key was re-issued, or this is another party's store): refusing to open it. Start with the original party key, or contribute the datasets again into an empty store.");
            }
            if (configPath is not null && info.Config != configPath) StoreJson.Write(infoPath, info = info with { Config = configPath });
        }
        else
        {
            System.IO.Directory.CreateDirectory(Path.Combine(folder, "datasets"));
            System.IO.Directory.CreateDirectory(Path.Combine(folder, "staging"));
            info = new StoreStudyInfo(config.Study, PartyId, key.CheckValue, configPath ?? "", DateTimeOffset.UtcNow);
            StoreJson.Write(infoPath, info);
        }
        foreach (var partial in System.IO.Directory.EnumerateFiles(Path.Combine(folder, "staging"), "*.partial")) File.Delete(partial);
        lock (_gate)
        {
            if (_studies.Remove(config.Study, out var old)) old.Key.Dispose();
            _studies[config.Study] = (key, info);
            _oprfKeys.Remove(config.Study);
        }
        if (config.Pseudonymiser == "oprf") CreateOprfKey(config.Study);
    }

    /// <summary>The datasets committed to <paramref name="study"/>, in name order.</summary>
    public IReadOnlyList<string> Datasets(string study)
    {
        var folder = Path.Combine(Opened(study), "datasets");
        return [.. System.IO.Directory.EnumerateFiles(folder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)];
    }

    /// <summary>The commit record of a dataset, or null.</summary>
    public StoredDataset? Find(string study, string dataset)
    {
        CheckName(dataset, "dataset");
        var path = ManifestPath(study, dataset);
        return File.Exists(path) ? StoreJson.Read<StoredDataset>(path) : null;
    }

    /// <summary>Loads a dataset's shares as this party holds them: checks the file's SHA-256, decrypts and authenticates
    /// it, and reads it as a share file (header, layout, row checksums). Errors name the file.</summary>
    public ShareFileContents Load(string study, string dataset)
    {
        var record = Find(study, dataset) ?? throw new StoreException($"Party {PartyId}'s store has no dataset '{dataset}' in study '{study}'. Datasets: {string.Join(", ", Datasets(study)) switch { "" => "none", var s => s }}.");
        var path = Path.Combine(Opened(study), record.StoredFile);
        using var plain = EncryptedFile.Decrypt(path, KeyOf(study), Context(study, dataset, record.UploadId), record.StoredSha256);
        return ShareFileReader.Read(plain, $"Party {PartyId}'s stored share file '{path}'", new ShareFileExpectation
        {
            PartyId = PartyId, Study = study, Dataset = dataset, UploadId = record.UploadId,
        });
    }

    // ---- staging and commit (the upload service) -------------------------------------------------------

    /// <summary>Starts writing an upload's shares to the staging area (any earlier staging of it is discarded).</summary>
    internal StagingWriter BeginStage(StagedUpload upload, ShareFileHeader header)
    {
        CheckName(upload.Dataset, "dataset");
        CheckName(upload.UploadId, "upload id");
        Abort(upload.Study, upload.UploadId);
        var staging = Path.Combine(Opened(upload.Study), "staging");
        return new StagingWriter(Path.Combine(staging, upload.UploadId + ".shares"), Path.Combine(staging, upload.UploadId + ".json"),
            upload, header, KeyOf(upload.Study), Context(upload.Study, upload.Dataset, upload.UploadId), PartyId);
    }

    /// <summary>Keeps the data-use terms the upload is contributed under, after checking they are the terms its upload id
    /// names (SHA-256) and that they read as valid terms; committed with the shares.</summary>
    internal void StageTerms(StagedUpload upload, string termsJson)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(termsJson);
        if (Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)) != upload.TermsSha256)
            throw new StoreException($"The terms sent with upload {upload.UploadId} are not the terms its hash names ({upload.TermsSha256}).");
        var path = Path.Combine(Opened(upload.Study), "staging", upload.UploadId + ".terms");
        File.WriteAllBytes(path + ".tmp", bytes);
        File.Move(path + ".tmp", path, overwrite: true);
        try { DataUseTerms.Load(path); }
        catch (Smpc.Analytics.Columnar.SchemaException e) { File.Delete(path); throw new StoreException($"The terms sent with upload {upload.UploadId} are invalid: {e.Message}"); }
    }

    /// <summary>The data-use terms a dataset was contributed under (checked against the hash in its commit record).</summary>
    public DataUseTerms Terms(string study, string dataset)
    {
        var record = Find(study, dataset) ?? throw new StoreException($"Party {PartyId}'s store has no dataset '{dataset}' in study '{study}'.");
        var path = Path.Combine(Opened(study), TermsFile(record.Dataset, record.UploadId));
        if (!File.Exists(path)) throw new StoreException($"Party {PartyId}'s store has no terms file '{path}' for dataset '{dataset}'.");
        if (Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))) != record.TermsSha256)
            throw new StoreException($"The terms file '{path}' does not match the hash recorded at commit ({record.TermsSha256}).");
        return DataUseTerms.Load(path);
    }

    static string TermsFile(string dataset, string uploadId) => Path.Combine("datasets", $"{dataset}.{uploadId}.terms");

    /// <summary>The staged (complete, uncommitted) upload, or null.</summary>
    internal StagedUpload? Staged(string study, string uploadId)
    {
        CheckName(uploadId, "upload id");
        var path = Path.Combine(Opened(study), "staging", uploadId + ".json");
        return File.Exists(path) ? StoreJson.Read<StagedUpload>(path) : null;
    }

    /// <summary>Commits a staged upload: moves its file into place and writes the commit record (the commit point).</summary>
    internal StoredDataset Commit(string study, string uploadId, string sharingId)
    {
        lock (_gate)
        {
            var staged = Staged(study, uploadId);
            if (staged is null)
            {
                var done = System.IO.Directory.EnumerateFiles(Path.Combine(Opened(study), "datasets"), "*.json")
                    .Select(StoreJson.Read<StoredDataset>).FirstOrDefault(d => d.UploadId == uploadId && d.SharingId == sharingId);
                return done ?? throw new StoreException($"Party {PartyId} has no staged upload {uploadId} of study '{study}' to commit.");
            }
            if (staged.SharingId != sharingId)
                throw new StoreException($"Party {PartyId}'s staged upload {uploadId} is from another sharing run ({staged.SharingId}, not {sharingId}); contribute the dataset again.");
            if (Find(study, staged.Dataset) is { } existing && existing.UploadId != uploadId)
                throw new StoreException($"Dataset '{staged.Dataset}' of study '{study}' already holds upload {existing.UploadId} at party {PartyId}; a different file is not merged into it.");
            var folder = Opened(study);
            var stored = Path.Combine("datasets", $"{staged.Dataset}.{uploadId}.shares");
            var source = Path.Combine(folder, "staging", uploadId + ".shares");
            if (File.Exists(source)) File.Move(source, Path.Combine(folder, stored), overwrite: true);
            var terms = Path.Combine(folder, "staging", uploadId + ".terms");
            if (File.Exists(terms)) File.Move(terms, Path.Combine(folder, TermsFile(staged.Dataset, uploadId)), overwrite: true);
            var record = new StoredDataset(study, staged.Dataset, PartyId, uploadId, sharingId, staged.FileSha256, staged.SchemaSha256, staged.TermsSha256,
                staged.Rows, staged.StoredBytes, stored, staged.StoredSha256, staged.Contributor, DateTimeOffset.UtcNow);
            StoreJson.Write(ManifestPath(study, staged.Dataset), record);
            File.Delete(Path.Combine(folder, "staging", uploadId + ".json"));
            return record;
        }
    }

    /// <summary>Discards a staged or half-written upload (nothing committed is touched).</summary>
    internal void Abort(string study, string uploadId)
    {
        CheckName(uploadId, "upload id");
        var staging = Path.Combine(Opened(study), "staging");
        foreach (var f in System.IO.Directory.EnumerateFiles(staging, uploadId + ".*")) File.Delete(f);
    }

    /// <summary>The study's privacy-budget ledger at this party (JSON lines: dataset, ε, query, time; no data value).</summary>
    public string BudgetLedgerPath(string study) => Path.Combine(Opened(study), "privacy-budget.jsonl");

    // ---- helpers --------------------------------------------------------------------------------------

    string StudyFolder(string study)
    {
        StudyCertificates.CheckStudyName(study);
        return Path.Combine(Directory, study);
    }

    string Opened(string study)
    {
        lock (_gate)
            if (!_studies.ContainsKey(study))
                throw new StoreException($"Study '{study}' is not open in party {PartyId}'s store at '{Directory}'. Open studies: {(_studies.Count == 0 ? "none" : string.Join(", ", _studies.Keys))}.");
        return StudyFolder(study);
    }

    StoreKey KeyOf(string study)
    {
        lock (_gate) return _studies.TryGetValue(study, out var s) ? s.Key : throw new StoreException($"Study '{study}' is not open in party {PartyId}'s store.");
    }

    string ManifestPath(string study, string dataset) => Path.Combine(Opened(study), "datasets", dataset + ".json");

    static string Context(string study, string dataset, string uploadId) => $"smpc-store/v1|{study}|{dataset}|{uploadId}";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex SafeName();

    /// <summary>Dataset names and upload ids become file names: letters, digits, '_' and '-' only.</summary>
    internal static void CheckName(string name, string what)
    {
        if (name is null || !SafeName().IsMatch(name))
            throw new StoreException($"The {what} '{name}' is not allowed: use 1–64 letters, digits, '_' or '-', starting with a letter or digit.");
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var s in _studies.Values) s.Key.Dispose();
            _studies.Clear();
            _oprfKeys.Clear();
        }
    }
}
