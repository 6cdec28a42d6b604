using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Columnar.Contributor;
using Smpc.Analytics.Columnar.Ipc;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Tests.Columnar;

/// <summary>
/// Categorical columns in share files as codes: narrow fields, no one-hot and no presence vector; the loaded table
/// equals the plaintext one-hot encoding; damaged or mixed codes are refused with the field and rule named.
/// </summary>
public sealed class CodedShareFileTests : IDisposable
{
    readonly TempDirectory _dir = new();
    readonly SecureEngine _engine = new();

    public void Dispose()
    {
        _engine.Dispose();
        _dir.Dispose();
    }

    ShareFileSet Share(Samples.Row[] rows)
    {
        var csv = _dir.File("veterans.csv");
        File.WriteAllText(csv, Samples.Csv(rows));
        var files = ShareFileSet.For(_dir.Path, "veterans");
        ContributorStream.ShareCsv(csv, Samples.Schema, files, new ContributorOptions { Study = "s1", BatchSize = 100, Overwrite = true });
        return files;
    }

    [Fact]
    public void Categorical_columns_are_stored_as_one_narrow_code_field_per_component()
    {
        var rows = Samples.Rows(300, seed: 21);
        var files = Share(rows);
        using (var stream = File.OpenRead(files.Party1))
        using (var reader = new ArrowFileReader(stream))
        {
            var fields = reader.Schema.FieldsList;
            string? Column(Apache.Arrow.Field f) => f.Metadata.TryGetValue(ShareFormat.Column, out var c) ? c : null;
            var state = fields.Where(f => Column(f) == "state").ToArray();
            var zone = fields.Where(f => Column(f) == "zone").ToArray();
            Assert.Equal(2, state.Length);                                   // components 1 and 2, no indicator per state
            Assert.Equal(2, zone.Length);                                    // no presence vector: code 0 is "missing"
            Assert.All(state.Concat(zone), f => Assert.Equal(ShareFormat.PartCode, f.Metadata[ShareFormat.Part]));
            Assert.All(state.Concat(zone), f => Assert.IsType<UInt8Type>(f.DataType));
        }
        var loaded = ShareFileSet.For(_dir.Path, "veterans").Load(_engine, Samples.Schema);
        var expected = Samples.Expected(rows);
        foreach (var column in new[] { "state", "zone" })
        {
            var vectors = loaded[column].Vectors().ToArray();
            Assert.Equal(expected[column].Length, vectors.Length);
            for (int k = 0; k < vectors.Length; k++) Assert.Equal(expected[column][k], _engine.Reveal(vectors[k]));
        }
    }

    [Fact]
    public void A_code_share_wider_than_the_columns_bits_is_refused_as_damage()
    {
        var files = Share(Samples.Rows(50, seed: 22));
        var view = ShareFileReader.Read(files.Party0, new ShareFileExpectation { PartyId = 0 });
        var state = view.Table["state"];
        var first = (ulong[])state.Code!.First.Clone();
        first[17] |= 1UL << CategoryCode.Bits(state.Spec);                   // 4 states: 2-bit codes; set bit 2
        var damaged = new SharedTable("veterans", 0, [.. view.Table.Columns.Select(c => c.Name == "state" ? new SharedColumn(c.Spec, 0, new BooleanShare(first, c.Code!.Second)) : c)]);
        var path = _dir.File("damaged.arrow");
        using (var f = File.Create(path))
        using (var w = new ShareStreamWriter(f, view.Header, "the damaged file"))
        {
            w.Write(damaged);
            w.Finish();
        }
        var e = Assert.Throws<ShareFileException>(() => ShareFileReader.Read(path, new ShareFileExpectation { PartyId = 0 }));
        Assert.Equal(ShareFileProblem.Corrupt, e.Problem);
        Assert.Contains("row 17 holds a code share wider than the column's 2 bits", e.Message);
        Assert.Contains("state#[x0]", e.Message);
    }

    [Fact]
    public void One_hot_rows_are_refused_by_a_file_that_stores_codes()
    {
        var files = Share(Samples.Rows(20, seed: 23));
        var header = ShareFileReader.Read(files.Party0, new ShareFileExpectation { PartyId = 0 }).Header;
        var oneHot = SharedTable.FromSecretTable(ContributorEncoder.Share(_engine, Samples.Schema, Samples.Table(20, seed: 23)), 0);
        using var buffer = new MemoryStream();
        using var writer = new ShareStreamWriter(buffer, header, "a coded file");
        var e = Assert.Throws<ShareFileException>(() => writer.Write(oneHot));
        Assert.Equal(ShareFileProblem.SchemaMismatch, e.Problem);
        Assert.Contains("the rows hold codes for ()", e.Message);
    }
}
