using System.Text.Json;
using System.Text.RegularExpressions;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Columnar.Ipc;
using Smpc.Analytics.Sharing;
using Smpc.Analytics.Studies.Store;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Studies.Tests.Store;

/// <summary>
/// A contributor uploads a CSV to three party store services over mutual TLS: the shares the parties store recombine
/// to exactly the plaintext encoding of the file; reruns leave one copy; bad files and failed parties commit nothing.
/// </summary>
public sealed class PartyStoreUploadTests
{
    /// <summary>The plaintext encoding of the file as the contributor prepares it: every vector of every column.</summary>
    static List<(string Column, ulong[] Values)> ExpectedVectors(string file, byte[] key) => ExpectedVectors(file, new Smpc.Analytics.Linkage.KeyedHashPseudonymiser(key));

    internal static List<(string Column, ulong[] Values)> ExpectedVectors(string file, Smpc.Analytics.Linkage.IPseudonymiser pseudonymiser)
    {
        var prepared = DatasetUpload.Prepare(DatasetReader.Read(file, StoreTestStudy.Schema), StoreTestStudy.Terms(), pseudonymiser, _ => { });
        var expected = new List<(string, ulong[])>();
        foreach (var c in ContributorEncoder.Encode(prepared.Schema, prepared.Data))
            foreach (var v in c.Code is not null ? [c.Code] : new[] { c.Values! }.Concat(c.Present is null ? [] : [c.Present]))   // categorical: codes, as stored
                expected.Add((c.Spec.Name, v));
        return expected;
    }

    internal static List<(string Column, ulong[] Values)> Recombine(IReadOnlyList<ShareFileContents> views)
    {
        var result = new List<(string, ulong[])>();
        foreach (var column in views[0].Table.Columns)
        {
            if (column.Code is not null)
            {
                result.Add((column.Name, ReplicatedSharing.ReconstructBoolean([.. views.Select(v => v.Table[column.Name].Code!)])));
                continue;
            }
            var perParty = views.Select(v => v.Table[column.Name].Vectors().ToArray()).ToArray();
            for (int k = 0; k < perParty[0].Length; k++)
                result.Add((column.Name, ReplicatedSharing.Reconstruct([perParty[0][k], perParty[1][k], perParty[2][k]])));
        }
        return result;
    }

    /// <summary>Exact equality, except where the encoding itself is random: a row without a usable linkage key (here an
    /// SSN with group 00) gets a random pseudonym so that it links to nothing. Those entries are found by encoding the
    /// file twice; they must be few, only in pseudonym columns, and never equal a real pseudonym of the column.</summary>
    static void AssertSameVectors(string file, byte[] key, List<(string Column, ulong[] Values)> actual) =>
        AssertSameVectors(file, new Smpc.Analytics.Linkage.KeyedHashPseudonymiser(key), actual);

    internal static void AssertSameVectors(string file, Smpc.Analytics.Linkage.IPseudonymiser pseudonymiser, List<(string Column, ulong[] Values)> actual)
    {
        var expected = ExpectedVectors(file, pseudonymiser);
        var again = ExpectedVectors(file, pseudonymiser);
        Assert.Equal(expected.Select(e => e.Column), actual.Select(a => a.Column));
        int random = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Values.Length, actual[i].Values.Length);
            for (int r = 0; r < expected[i].Values.Length; r++)
            {
                if (expected[i].Values[r] == again[i].Values[r]) { Assert.Equal(expected[i].Values[r], actual[i].Values[r]); continue; }
                Assert.EndsWith("_key", expected[i].Column);
                Assert.DoesNotContain(actual[i].Values[r], expected[i].Values.Where((v, j) => v == again[i].Values[j]));
                random++;
            }
        }
        Assert.True(random <= expected[0].Values.Length / 10, $"{random} entries of the encoding are random");
    }

    [Fact]
    public void Stored_shares_recombine_to_the_files_encoding_at_the_three_parties()
    {
        using var study = new StoreTestStudy();
        var file = study.WriteCsv(100);
        var result = study.Contribute(file, StoreTestStudy.Schema, StoreTestStudy.Terms());

        Assert.Equal(100, result.Rows);
        Assert.Equal([0, 1, 2], result.Receipts.Select(r => r.PartyId));
        Assert.All(result.Receipts, r => Assert.Equal(DatasetUpload.Sha256File(file), r.FileSha256));
        var views = Enumerable.Range(0, 3).Select(p => study.Store(p).Load(study.Config.Study, "patients")).ToArray();
        Assert.All(views, v => Assert.Equal(result.UploadId, v.Header.UploadId));
        Assert.Equal([0, 1, 2], views.Select(v => v.Table.PartyId));
        // Identifiers never reach a party: only analysis columns and pseudonym columns are stored.
        Assert.Equal(["ward", "stay_cost", "visits", "ssn_key", "demographic_key", "name_dob_key"], views[0].Table.Columns.Select(c => c.Name));
        Assert.DoesNotContain(views[0].Table.Columns, c => c.Name is "ssn" or "given" or "family" or "born");
        AssertSameVectors(file, study.PseudonymKey, Recombine(views));
        // One party's view alone is not the data: its first component differs from the plaintext.
        Assert.NotEqual(ExpectedVectors(file, study.PseudonymKey).First(e => e.Column == "stay_cost").Values, views[0].Table["stay_cost"].Values!.First);
    }

    [Fact]
    public void A_rerun_leaves_exactly_one_copy_with_the_same_receipts()
    {
        using var study = new StoreTestStudy();
        var file = study.WriteCsv(40);
        var first = study.Contribute(file, StoreTestStudy.Schema, StoreTestStudy.Terms());
        var again = study.Contribute(file, StoreTestStudy.Schema, StoreTestStudy.Terms());

        Assert.False(first.WasAlreadyCommitted);
        Assert.True(again.WasAlreadyCommitted);
        Assert.Equal(first.UploadId, again.UploadId);
        Assert.Equal(first.Receipts, again.Receipts);
        for (int p = 0; p < 3; p++)
        {
            Assert.Equal(["patients"], study.Store(p).Datasets(study.Config.Study));
            Assert.Single(Directory.EnumerateFiles(Path.Combine(study.StoreDir(p), study.Config.Study, "datasets"), "*.shares"));
            Assert.Empty(Directory.EnumerateFiles(Path.Combine(study.StoreDir(p), study.Config.Study, "staging")));
        }
    }

    [Fact]
    public void A_bad_file_names_file_line_and_column_and_nothing_is_stored_anywhere()
    {
        using var study = new StoreTestStudy();
        var file = study.WriteCsv(30, "bad.csv", ward: r => r == 16 ? "lakeshore" : StoreTestStudy.Schema.Columns[0].Domain![r % 3]);
        var error = Assert.Throws<DataValidationException>(() => study.Contribute(file, StoreTestStudy.Schema, StoreTestStudy.Terms()));
        // Row 17 of the data is line 18 of the file; "ward" starts after five fields.
        Assert.Matches(new Regex(@"bad\.csv:18:\d+: column 'ward'.*lakeshore"), error.Message);
        study.AssertNothingStored();
        Assert.DoesNotContain("upload-started", study.AllLogs);
    }

    [Fact]
    public void A_different_file_for_a_committed_dataset_is_refused_and_the_first_upload_kept()
    {
        using var study = new StoreTestStudy();
        var first = study.Contribute(study.WriteCsv(20, "one.csv"), StoreTestStudy.Schema, StoreTestStudy.Terms());
        var error = Assert.ThrowsAny<SmpcException>(() => study.Contribute(study.WriteCsv(21, "two.csv"), StoreTestStudy.Schema, StoreTestStudy.Terms()));
        Assert.Contains("already holds another upload", error.Message);
        for (int p = 0; p < 3; p++) Assert.Equal(first.UploadId, study.Store(p).Find(study.Config.Study, "patients")!.UploadId);
    }

    [Fact]
    public void A_party_stopped_mid_upload_is_named_nothing_is_committed_and_a_rerun_after_its_restart_succeeds()
    {
        using var study = new StoreTestStudy();
        var file = study.WriteCsv(200);
        int batches = 0;
        var error = Assert.ThrowsAny<SmpcException>(() => study.Contribute(file, StoreTestStudy.Schema, StoreTestStudy.Terms(), batchSize: 10,
            progress: line => { if (line.StartsWith("shared ", StringComparison.Ordinal) && ++batches == 3) study.Stop(2); }));
        Assert.Contains("Party 2", error.Message);
        Thread.Sleep(500);   // the other parties notice the abort / the closed connection
        study.AssertNothingStored();

        study.Start(2);
        var result = study.Contribute(file, StoreTestStudy.Schema, StoreTestStudy.Terms());
        Assert.Equal(200, result.Rows);
        var views = Enumerable.Range(0, 3).Select(p => study.Store(p).Load(study.Config.Study, "patients")).ToArray();
        AssertSameVectors(file, study.PseudonymKey, Recombine(views));
    }

    [Fact]
    public void A_contributor_failing_mid_upload_leaves_nothing_staged_or_committed_at_any_party()
    {
        using var study = new StoreTestStudy();
        var file = study.WriteCsv(120);
        int batches = 0;
        var error = Assert.Throws<IOException>(() => study.Contribute(file, StoreTestStudy.Schema, StoreTestStudy.Terms(), batchSize: 10,
            progress: line => { if (line.StartsWith("shared ", StringComparison.Ordinal) && ++batches == 4) throw new IOException("disk unplugged"); }));
        Assert.Equal("disk unplugged", error.Message);
        study.AssertNothingStored();
        for (int p = 0; p < 3; p++) Assert.Contains("upload-aborted", study.Log(p));
    }

    [Fact]
    public void A_party_lost_between_the_commits_keeps_the_staged_upload_and_a_rerun_completes_the_commit()
    {
        using var study = new StoreTestStudy();
        var file = study.WriteCsv(80);
        var error = Assert.ThrowsAny<SmpcException>(() => study.Contribute(file, StoreTestStudy.Schema, StoreTestStudy.Terms(),
            progress: line => { if (line.StartsWith("staged at all three", StringComparison.Ordinal)) study.Stop(2); }));
        Assert.Contains("Party 2", error.Message);
        Assert.Equal(["patients"], study.Store(0).Datasets(study.Config.Study));
        Assert.Single(Directory.EnumerateFiles(Path.Combine(study.StoreDir(2), study.Config.Study, "staging"), "*.json"));

        study.Start(2);
        Assert.Empty(study.Store(2).Datasets(study.Config.Study));
        var rerun = study.Contribute(file, StoreTestStudy.Schema, StoreTestStudy.Terms());
        Assert.False(rerun.WasAlreadyCommitted);
        Assert.Equal([80L, 80L, 80L], rerun.Receipts.Select(r => r.Rows));
        var views = Enumerable.Range(0, 3).Select(p => study.Store(p).Load(study.Config.Study, "patients")).ToArray();
        AssertSameVectors(file, study.PseudonymKey, Recombine(views));   // the staged shares belong to the committed sharing
    }

    [Fact]
    public void A_restart_resumes_the_study_with_its_contributed_data()
    {
        using var study = new StoreTestStudy();
        var file = study.WriteCsv(50);
        var result = study.Contribute(file, StoreTestStudy.Schema, StoreTestStudy.Terms());
        for (int p = 0; p < 3; p++) study.Stop(p);
        for (int p = 0; p < 3; p++) study.Start(p);

        for (int p = 0; p < 3; p++)
        {
            Assert.Equal([study.Config.Study], study.Store(p).Studies);
            Assert.Equal(["patients"], study.Store(p).Datasets(study.Config.Study));
        }
        var views = Enumerable.Range(0, 3).Select(p => study.Store(p).Load(study.Config.Study, "patients")).ToArray();
        AssertSameVectors(file, study.PseudonymKey, Recombine(views));
        Assert.True(study.Contribute(file, StoreTestStudy.Schema, StoreTestStudy.Terms()).WasAlreadyCommitted);
        Assert.Equal(result.UploadId, views[0].Header.UploadId);
    }
}
