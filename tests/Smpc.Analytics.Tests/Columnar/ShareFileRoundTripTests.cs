using Smpc.Analytics.Columnar;
using Smpc.Analytics.Columnar.Ipc;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Tests.Columnar;

public class ShareFileRoundTripTests
{
    [Theory]
    [InlineData("age")]
    [InlineData("benefit")]
    [InlineData("state")]
    [InlineData("enrolled")]
    [InlineData("id")]
    [InlineData("zone")]
    public void Each_kind_round_trips_through_per_party_files(string column)
    {
        using var dir = new TempDirectory();
        var rows = Samples.Rows(50, seed: 3);
        var schema = new TableSchema { Name = "one", Columns = [Samples.Schema.Column(column)] };
        var data = new PlainTable("one").Add(column, Samples.Table(rows)[column]);
        using var writer = new SecureEngine();
        var files = ShareFileSet.For(dir.Path, "one");
        files.Write(ContributorEncoder.Share(writer, schema, data), study: "s1");

        using var reader = new SecureEngine();
        var loaded = files.Load(reader, schema, study: "s1", dataset: "one");
        var expected = Samples.Expected(rows)[column];
        var vectors = loaded[column].Vectors().ToArray();
        Assert.Equal(expected.Length, vectors.Length);
        for (int k = 0; k < expected.Length; k++) Assert.Equal(expected[k], reader.Reveal(vectors[k], "test"));
    }

    [Fact]
    public void A_whole_table_round_trips_and_computes_like_plaintext()
    {
        using var dir = new TempDirectory();
        var rows = Samples.Rows(300, seed: 4);
        using var engine = new SecureEngine();
        var files = ShareFileSet.For(dir.Path, "veterans");
        var header = files.Write(ContributorEncoder.Share(engine, Samples.Schema, Samples.Table(rows)), study: "s1");
        Assert.Equal(["benefit", "zone"], header.PresenceColumns);

        using var secure = new SecureEngine();
        var table = files.Load(secure, Samples.Schema);
        Samples.AssertMatches(rows, table);
        // the loaded handles are live: a dot product over the loaded shares equals the plaintext one
        var dot = secure.Reveal(secure.Dot([(table["age"].Values!, table["state"].Indicator("TX"))]));
        Assert.Equal((ulong)rows.Where(r => r.State == "TX").Sum(r => r.Age), dot[0]);

        using var plain = new PlaintextEngine();
        Samples.AssertMatches(rows, files.Load(plain, Samples.Schema));
    }

    [Fact]
    public void Each_file_holds_only_its_partys_components()
    {
        using var dir = new TempDirectory();
        using var engine = new SecureEngine();
        var secret = ContributorEncoder.Share(engine, Samples.Schema, Samples.Table(10, seed: 5));
        var files = ShareFileSet.For(dir.Path, "veterans");
        var header = files.Write(secret, study: "s1");
        for (int p = 0; p < 3; p++)
        {
            var read = files.Read(p, Samples.Schema, "s1", "veterans");
            Assert.Equal(p, read.Header.PartyId);
            Assert.Equal(header.UploadId, read.Header.UploadId);
            var view = SecureEngine.ViewOf(secret["age"].Values!, p);
            Assert.Equal(view.First, read.Table["age"].Values!.First);
            Assert.Equal(view.Second, read.Table["age"].Values!.Second);
        }
    }

    [Fact]
    public void Tables_larger_than_one_record_batch_round_trip()
    {
        using var dir = new TempDirectory();
        int n = ShareFormat.MaxBatchRows * 2 + 17;
        var values = Enumerable.Range(0, n).Select(i => (long)(i % 2001) - 1000).ToArray();
        var schema = new TableSchema { Name = "big", Columns = [new ColumnSpec { Name = "x", Kind = ColumnKind.Integer, Min = -1000, Max = 1000 }] };
        using var engine = new SecureEngine();
        var files = ShareFileSet.For(dir.Path, "big");
        files.Write(ContributorEncoder.Share(engine, schema, new PlainTable("big").Add("x", values)), study: "s");
        var loaded = files.Load(engine, schema);
        Assert.Equal(n, loaded.RowCount);
        Assert.Equal(values.Select(v => (ulong)v), engine.Reveal(loaded["x"].Values!));
    }

    [Fact]
    public void A_single_party_writer_streams_batches_and_reads_them_back()
    {
        using var dir = new TempDirectory();
        var spec = new ColumnSpec { Name = "k", Kind = ColumnKind.Pseudonym };
        var schema = new TableSchema { Name = "keys", Columns = [spec] };
        var header = new ShareFileHeader { Study = "s", Dataset = "keys", PartyId = 1, UploadId = ShareFileHeader.NewUploadId(), Schema = schema };
        var chunks = new[] { new ulong[] { 1, 2, 3 }, [], [4, 5], [ulong.MaxValue] };
        var views = chunks.Select(c => ReplicatedSharing.Share(c)[1]).ToArray();
        string path = dir.File("keys.p1.arrow");
        using (var writer = new ShareFileWriter(path, header))
        {
            foreach (var v in views) writer.Write(new SharedTable("keys", 1, [new SharedColumn(spec, 1, v)]));
            Assert.False(File.Exists(path));            // nothing at the destination before commit
            writer.Commit();
        }
        var read = ShareFileReader.Read(path, new ShareFileExpectation { PartyId = 1, Schema = schema });
        Assert.Equal(views.SelectMany(v => v.First), read.Table["k"].Values!.First);
        Assert.Equal(views.SelectMany(v => v.Second), read.Table["k"].Values!.Second);
        Assert.Equal(["keys.p1.arrow"], dir.Files());
    }

    [Fact]
    public void An_abandoned_writer_leaves_nothing_behind()
    {
        using var dir = new TempDirectory();
        var schema = new TableSchema { Name = "t", Columns = [new ColumnSpec { Name = "k", Kind = ColumnKind.Pseudonym }] };
        var header = new ShareFileHeader { Study = "s", Dataset = "t", PartyId = 0, UploadId = ShareFileHeader.NewUploadId(), Schema = schema };
        using (var writer = new ShareFileSetWriter(ShareFileSet.For(dir.Path, "t"), header))
        {
            var views = ReplicatedSharing.Share(new ulong[] { 9, 8, 7 });
            writer.Write(Enumerable.Range(0, 3).Select(p => new SharedTable("t", p, [new SharedColumn(schema.Columns[0], p, views[p])])).ToArray());
            Assert.Equal(3, dir.Files().Length);       // three temporary files
        }
        Assert.Empty(dir.Files());
    }
}
