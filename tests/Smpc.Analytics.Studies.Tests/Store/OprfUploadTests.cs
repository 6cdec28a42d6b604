using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Columnar.Ipc;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Studies.Store;

namespace Smpc.Analytics.Studies.Tests.Store;

/// <summary>
/// Uploads pseudonymised with the threshold OPRF served by the three party store services (study.json
/// "pseudonymiser": "oprf"): the stored pseudonyms are the OPRF under the parties' key shares (the in-process OPRF and
/// the 2HashDH definition computed here with the three shares), the shares survive a restart, a party never receives an
/// identifier, its hash to the curve, an OPRF output or a pseudonym, and only a contributor within its upload's
/// allowance is evaluated for.
/// </summary>
public sealed class OprfUploadTests
{
    static OprfKeyShare[] Shares(StoreTestStudy study) => [.. Enumerable.Range(0, 3).Select(p => study.Store(p).OprfKey(study.Config.Study))];

    /// <summary>The in-process OPRF (all three shares in this process) under the parties' stored shares.</summary>
    static OprfPseudonymiser Reference(StoreTestStudy study)
    {
        var service = new InProcessOprfService(Shares(study));
        service.Allow("reference", 1_000_000);
        return new OprfPseudonymiser(service, "reference");
    }

    static ShareFileContents[] Views(StoreTestStudy study, string dataset) =>
        [.. Enumerable.Range(0, 3).Select(p => study.Store(p).Load(study.Config.Study, dataset))];

    static ulong[] Column(List<(string Column, ulong[] Values)> vectors, string name) => vectors.Single(v => v.Column == name).Values;

    /// <summary>Normalised linkage key strings of the file (null: no usable key), as the contributor builds them.</summary>
    static string?[] Keys(string file, LinkageKeyKind kind, TableSchema schema) =>
        LinkageKeyKinds.Key(kind, schema).KeysOf(DatasetReader.Read(file, schema).Identifiers);

    /// <summary>u(k_2·k_1·k_0·H1(x)) applied share by share, and the intermediate values after parties 0 and 1.</summary>
    static byte[][] Chain(OprfKeyShare[] shares, IReadOnlyList<string> keys)
    {
        var h1 = new byte[keys.Count * 32];
        new HashToCurve25519(OprfPseudonymiser.HashToCurveTag).HashMany([.. keys.Select(Encoding.UTF8.GetBytes)], h1);
        var after0 = shares[0].Apply(X25519Backend.Default, h1);
        var after1 = shares[1].Apply(X25519Backend.Default, after0);
        return [h1, after0, after1, shares[2].Apply(X25519Backend.Default, after1)];
    }

    /// <summary>2HashDH's H2: the first 8 bytes (little-endian) of SHA-256("2HashDH-H2" ‖ len(x) ‖ x ‖ y).</summary>
    static ulong H2(string x, ReadOnlySpan<byte> y)
    {
        var bytes = Encoding.UTF8.GetBytes(x);
        var input = new byte[10 + 4 + bytes.Length + 32];
        "2HashDH-H2"u8.CopyTo(input);
        BinaryPrimitives.WriteInt32BigEndian(input.AsSpan(10), bytes.Length);
        bytes.CopyTo(input, 14);
        y.CopyTo(input.AsSpan(14 + bytes.Length));
        return BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(input));
    }

    [Fact]
    public void Pseudonyms_from_the_three_parties_equal_the_in_process_oprf_and_the_2hashdh_definition_under_their_shares()
    {
        using var study = new StoreTestStudy(pseudonymiser: "oprf");
        var file = study.WriteCsv(100);
        var progress = new List<string>();
        var result = study.Contribute(file, StoreTestStudy.Schema, StoreTestStudy.Terms(), progress: line => { lock (progress) progress.Add(line); });

        Assert.Equal(100, result.Rows);
        var stored = PartyStoreUploadTests.Recombine(Views(study, "patients"));
        PartyStoreUploadTests.AssertSameVectors(file, Reference(study), stored);

        // The definition, share by share: F(x) = H2(x, k_2·k_1·k_0·H1(x)) for every usable SSN key.
        var ssn = Keys(file, LinkageKeyKind.Ssn, StoreTestStudy.Schema);
        var usable = ssn.Select((k, i) => (k, i)).Where(t => t.k is not null).ToList();
        Assert.True(usable.Count >= 80);
        var y = Chain(Shares(study), [.. usable.Select(t => t.k!)])[3];
        var column = Column(stored, "ssn_key");
        for (int j = 0; j < usable.Count; j++)
            Assert.Equal(H2(usable[j].k!, y.AsSpan(j * 32, 32)), column[usable[j].i]);

        // Not the keyed hash, and the contributor checked every party's answers.
        Assert.NotEqual(Column(PartyStoreUploadTests.ExpectedVectors(file, new KeyedHashPseudonymiser(study.PseudonymKey)), "ssn_key")[usable[0].i], column[usable[0].i]);
        Assert.Contains(progress, l => l.Contains("OPRF key shares' public keys"));
        Assert.Contains(progress, l => l.StartsWith("OPRF: 300/300 identifiers", StringComparison.Ordinal) && l.Contains("all correct"));
        Assert.All(Views(study, "patients")[0].Header.Schema.Columns.Where(c => c.Kind == ColumnKind.Pseudonym),
            c => Assert.StartsWith(OprfPseudonymiser.SchemeName, c.Description));
        Assert.Contains("oprf-granted", study.Log(1));
    }

    [Fact]
    public void A_batch_larger_than_a_chunk_travels_the_parties_as_a_pipeline_and_gives_the_definitions_pseudonyms()
    {
        using var study = new StoreTestStudy(pseudonymiser: "oprf");
        int rows = 2 * UploadOprfClient.ChunkPoints + 700;   // one batch: three chunks, the last one short
        var file = study.WriteCsv(rows);
        var progress = new List<string>();
        study.Contribute(file, StoreTestStudy.Schema, StoreTestStudy.Terms() with { LinkageColumns = ["ssn"] }, batchSize: rows, progress: progress.Add);

        var column = Column(PartyStoreUploadTests.Recombine(Views(study, "patients")), "ssn_key");
        var usable = Keys(file, LinkageKeyKind.Ssn, StoreTestStudy.Schema).Select((k, i) => (k, i)).Where(t => t.k is not null).ToList();
        var y = Chain(Shares(study), [.. usable.Select(t => t.k!)])[3];
        for (int j = 0; j < usable.Count; j++)
            Assert.Equal(H2(usable[j].k!, y.AsSpan(j * 32, 32)), column[usable[j].i]);
        Assert.Contains(progress, l => l.StartsWith($"OPRF: {rows}/{rows} identifiers", StringComparison.Ordinal) && l.Contains("(149 check points"));   // 64 + 64 + 700/32
    }

    [Fact]
    public void The_key_shares_survive_a_restart_so_the_same_identifiers_get_the_same_pseudonyms()
    {
        using var study = new StoreTestStudy(pseudonymiser: "oprf");
        var file = study.WriteCsv(60);
        study.Contribute(file, StoreTestStudy.Schema, StoreTestStudy.Terms());
        var before = Shares(study).Select(s => s.PublicKey(X25519Backend.Default)).ToArray();
        for (int p = 0; p < 3; p++)
        {
            var keyFile = Path.Combine(study.StoreDir(p), study.Config.Study, "oprf-key.bin");
            var bytes = File.ReadAllBytes(keyFile);
            Assert.Equal(68, bytes.Length);
            Assert.Equal(-1, bytes.AsSpan().IndexOf(study.Store(p).OprfKey(study.Config.Study).Export()));   // encrypted at rest
            study.Stop(p);
            study.Start(p);
        }
        Assert.Equal(before, Shares(study).Select(s => s.PublicKey(X25519Backend.Default)));

        var again = StoreTestStudy.Schema with { Name = "patients_again" };
        study.Contribute(file, again, StoreTestStudy.Terms("patients_again"), dataset: "patients_again", contributor: "clinic");
        var first = PartyStoreUploadTests.Recombine(Views(study, "patients"));
        var second = PartyStoreUploadTests.Recombine(Views(study, "patients_again"));
        foreach (var (name, kind) in new[] { ("ssn_key", LinkageKeyKind.Ssn), ("name_dob_key", LinkageKeyKind.NameDateOfBirth) })
        {
            var keys = Keys(file, kind, StoreTestStudy.Schema);
            var (a, b) = (Column(first, name), Column(second, name));
            for (int r = 0; r < keys.Length; r++)
                if (keys[r] is null) Assert.NotEqual(a[r], b[r]);   // a missing key gets a fresh random pseudonym
                else Assert.Equal(a[r], b[r]);
        }
    }

    [Fact]
    public void A_lost_key_share_is_not_recreated_once_datasets_were_contributed()
    {
        using var study = new StoreTestStudy(pseudonymiser: "oprf");
        study.Contribute(study.WriteCsv(20), StoreTestStudy.Schema, StoreTestStudy.Terms());
        study.Stop(1);
        var keyFile = Path.Combine(study.StoreDir(1), study.Config.Study, "oprf-key.bin");
        File.Delete(keyFile);
        var error = Assert.Throws<StoreException>(() => study.Start(1));
        Assert.Contains("key share", error.Message);
        Assert.Contains("patients", error.Message);
        Assert.False(File.Exists(keyFile));
    }

    [Fact]
    public void A_damaged_key_share_is_refused_not_replaced_and_the_upload_names_the_party()
    {
        using var study = new StoreTestStudy(pseudonymiser: "oprf");
        var file = study.WriteCsv(20);
        study.Contribute(file, StoreTestStudy.Schema, StoreTestStudy.Terms());
        study.Stop(2);
        var keyFile = Path.Combine(study.StoreDir(2), study.Config.Study, "oprf-key.bin");
        var bytes = File.ReadAllBytes(keyFile);
        bytes[30] ^= 1;
        File.WriteAllBytes(keyFile, bytes);
        study.Start(2);

        var other = StoreTestStudy.Schema with { Name = "others" };
        var error = Assert.Throws<PeerFailureException>(() => study.Contribute(study.WriteCsv(21, "others.csv"), other, StoreTestStudy.Terms("others"), dataset: "others"));
        Assert.Equal(2, error.Peer);
        Assert.Contains("does not decrypt", error.Message);
        Assert.Equal(bytes, File.ReadAllBytes(keyFile));
        Assert.Equal(["patients"], study.Store(0).Datasets(study.Config.Study));
    }
}
