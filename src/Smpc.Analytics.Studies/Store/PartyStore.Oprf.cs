// A compute party's share of the study's OPRF key (OprfKeyShare), kept in its store for the uploads' pseudonyms.
// Created once per study — when a study whose study.json says "pseudonymiser": "oprf" is opened with no share yet and
// no dataset contributed (CreateOprfKey) — from the OS random generator; written encrypted under the party's store key
// (AES-256-GCM, associated data naming study and party) to DIR/<study>/oprf-key.bin under a temporary name, flushed
// and renamed, so a crash leaves either no key or the whole key. Every later use — after a restart too — reads the
// same share back, so the same identifier keeps the same pseudonym for the life of the study. A file that does not
// decrypt (another key, damage) is refused, never replaced, and a missing file once datasets were contributed is
// refused at open: a new share would silently break linkage with every dataset already contributed.
// Layout: "SMPCOPK1" | 12-byte nonce | 32-byte ciphertext | 16-byte tag.
// Leakage at rest: that the study has an OPRF key share; nothing about it without the party's certificate key.
using System.Security.Cryptography;
using System.Text;
using Smpc.Analytics.Linkage;

namespace Smpc.Analytics.Studies.Store;

public sealed partial class PartyStore
{
    static ReadOnlySpan<byte> OprfKeyMagic => "SMPCOPK1"u8;

    readonly Dictionary<string, OprfKeyShare> _oprfKeys = new(StringComparer.Ordinal);

    /// <summary>This party's OPRF key share for <paramref name="study"/>, read from its store (created when the study was
    /// opened as an OPRF study).</summary>
    public OprfKeyShare OprfKey(string study)
    {
        var path = Path.Combine(Opened(study), "oprf-key.bin");
        lock (_gate)
        {
            if (_oprfKeys.TryGetValue(study, out var known)) return known;
            if (!File.Exists(path))
                throw new StoreException($"Party {PartyId} has no OPRF key share for study '{study}' ('{path}'): the study was opened without \"pseudonymiser\": \"oprf\".");
            using var aes = KeyOf(study).Cipher();
            return _oprfKeys[study] = ReadOprfKey(path, aes, Associated(study));
        }
    }

    byte[] Associated(string study) => Encoding.UTF8.GetBytes($"smpc-oprf-key/v1|{study}|{PartyId}");

    /// <summary>At open of an OPRF study: creates the share if there is none yet and nothing was contributed; a missing
    /// share with datasets present is refused (they were pseudonymised under the lost one).</summary>
    void CreateOprfKey(string study)
    {
        var path = Path.Combine(StudyFolder(study), "oprf-key.bin");
        if (File.Exists(path)) return;
        var datasets = Datasets(study);
        if (datasets.Count > 0)
            throw new StoreException($"Study '{study}' pseudonymises with the OPRF, but party {PartyId}'s key share '{path}' is missing while {datasets.Count} dataset(s) were contributed " +
                "(" + string.Join(", ", datasets) + "): restore the file from the store's backup. A new share would give other pseudonyms than those stored; only if the datasets are contributed again may the store start afresh.");
        lock (_gate)
        {
            using var aes = KeyOf(study).Cipher();
            var share = OprfKeyShare.Generate(PartyId);
            var scalar = share.Export();
            var file = new byte[8 + 12 + 32 + 16];
            OprfKeyMagic.CopyTo(file);
            RandomNumberGenerator.Fill(file.AsSpan(8, 12));
            aes.Encrypt(file.AsSpan(8, 12), scalar, file.AsSpan(20, 32), file.AsSpan(52, 16), Associated(study));
            CryptographicOperations.ZeroMemory(scalar);
            using (var f = new FileStream(path + ".tmp", FileMode.Create, FileAccess.Write, FileShare.None))
            {
                f.Write(file);
                f.Flush(flushToDisk: true);
            }
            File.Move(path + ".tmp", path, overwrite: false);
            _oprfKeys[study] = share;
        }
    }

    OprfKeyShare ReadOprfKey(string path, AesGcm aes, byte[] associated)
    {
        var file = File.ReadAllBytes(path);
        if (file.Length != 68 || !file.AsSpan(0, 8).SequenceEqual(OprfKeyMagic))
            throw new StoreException($"'{path}' is not party {PartyId}'s OPRF key share file (wrong size or header); restore it from a backup — a new share would break linkage with the datasets already contributed.");
        var scalar = new byte[32];
        try { aes.Decrypt(file.AsSpan(8, 12), file.AsSpan(20, 32), file.AsSpan(52, 16), scalar, associated); }
        catch (AuthenticationTagMismatchException)
        {
            throw new StoreException($"'{path}' does not decrypt with party {PartyId}'s store key: it was changed, or belongs to another party or study; restore it from a backup.");
        }
        try { return OprfKeyShare.Restore(PartyId, scalar); }
        finally { CryptographicOperations.ZeroMemory(scalar); }
    }
}
