using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Columnar.Arrow;
using Smpc.Analytics.Columnar.Ipc;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Tests.Columnar;

public sealed class ShareFileErrorTests : IDisposable
{
    readonly TempDirectory _dir = new();
    readonly SecureEngine _engine = new();
    readonly ShareFileSet _files;
    readonly SecretTable _secret;

    public ShareFileErrorTests()
    {
        _files = ShareFileSet.For(_dir.Path, "veterans");
        _secret = ContributorEncoder.Share(_engine, Samples.Schema, Samples.Table(400, seed: 6));
        _files.Write(_secret, study: "s1");
    }

    public void Dispose()
    {
        _engine.Dispose();
        _dir.Dispose();
    }

    static ShareFileException Refused(ShareFileProblem problem, Action action)
    {
        var e = Assert.Throws<ShareFileException>(action);
        Assert.Equal(problem, e.Problem);
        return e;
    }

    ShareFileException ReadAs(int party, string path, TableSchema? schema = null) =>
        Assert.Throws<ShareFileException>(() => ShareFileReader.Read(path, new ShareFileExpectation { PartyId = party, Schema = schema }));

    [Fact]
    public void A_file_opened_as_another_partys_is_refused()
    {
        var e = ReadAs(0, _files.Party1);
        Assert.Equal(ShareFileProblem.WrongParty, e.Problem);
        Assert.Contains("holds party 1's shares, but party 0's were expected", e.Message);
        Assert.Contains(_files.Party1, e.Message);

        File.Copy(_files.Party2, _files.Party0, overwrite: true);      // a party 2 file under party 0's name
        Refused(ShareFileProblem.WrongParty, () => _files.Load(_engine));
    }

    [Fact]
    public void A_schema_that_differs_from_the_expected_one_is_refused()
    {
        var cols = Samples.Schema.Columns.ToArray();
        cols[2] = cols[2] with { Domain = ["CA", "TX", "NY", "WA"] };
        cols[1] = cols[1] with { FractionBits = 16 };
        var other = Samples.Schema with { Columns = cols };
        var e = ReadAs(0, _files.Party0, other);
        Assert.Equal(ShareFileProblem.SchemaMismatch, e.Problem);
        Assert.Contains("column 'state' has domain", e.Message);
        Assert.Contains("column 'benefit' has 8 fraction bits, expected 16", e.Message);

        var fewer = Samples.Schema with { Columns = Samples.Schema.Columns.Take(5).ToArray() };
        Assert.Contains("undeclared column(s) 'zone'", ReadAs(0, _files.Party0, fewer).Message);
    }

    [Fact]
    public void A_truncated_file_is_named_as_truncated()
    {
        var bytes = File.ReadAllBytes(_files.Party0);
        File.WriteAllBytes(_files.Party0, bytes[..(bytes.Length / 2)]);
        var e = ReadAs(0, _files.Party0);
        Assert.Equal(ShareFileProblem.Truncated, e.Problem);
        Assert.Contains("is truncated", e.Message);

        File.WriteAllBytes(_files.Party0, []);
        Assert.Equal(ShareFileProblem.Truncated, ReadAs(0, _files.Party0).Problem);
        Refused(ShareFileProblem.Truncated, () => _files.Load(_engine));
    }

    [Fact]
    public void A_changed_share_fails_the_row_checksum()
    {
        var bytes = File.ReadAllBytes(_files.Party1);
        var share = SecureEngine.ViewOf(_secret["age"].Values!, 1).First;
        int at = bytes.AsSpan().IndexOf(BitConverter.GetBytes(share[123]));
        Assert.True(at > 0);
        bytes[at + 3] ^= 0x10;
        File.WriteAllBytes(_files.Party1, bytes);
        var e = ReadAs(1, _files.Party1);
        Assert.Equal(ShareFileProblem.Corrupt, e.Problem);
        Assert.Contains("row 123 fails its checksum", e.Message);
    }

    [Fact]
    public void Damaged_metadata_and_foreign_files_are_refused()
    {
        var bytes = File.ReadAllBytes(_files.Party0);
        int at = bytes.AsSpan().LastIndexOf("smpc.party"u8);   // the footer's copy of the schema, which readers use
        bytes[at + 9] = (byte)'x';
        File.WriteAllBytes(_files.Party0, bytes);
        Assert.Contains("does not say which party", ReadAs(0, _files.Party0).Message);

        var noise = new byte[4096];
        new Random(7).NextBytes(noise);
        File.WriteAllBytes(_files.Party0, noise);
        var e = ReadAs(0, _files.Party0);
        Assert.Equal(ShareFileProblem.Corrupt, e.Problem);
        Assert.Contains("not an Arrow IPC file", e.Message);

        // a valid Arrow file that is not a share file
        var plain = new Apache.Arrow.Schema([new Field("x", Int64Type.Default, false)], null);
        WriteArrow(_files.Party0, plain, [new Int64Array.Builder().AppendRange([1L, 2]).Build()], 2);
        Assert.Contains("is not a share file", ReadAs(0, _files.Party0).Message);

        // the Arrow structure itself damaged: the footer length (the int32 before the closing magic) points outside the file
        bytes = File.ReadAllBytes(_files.Party2);
        BitConverter.GetBytes(bytes.Length * 2).CopyTo(bytes, bytes.Length - 10);
        File.WriteAllBytes(_files.Party2, bytes);
        e = ReadAs(2, _files.Party2);
        Assert.Equal(ShareFileProblem.Corrupt, e.Problem);
        Assert.Contains("Arrow could not read it", e.Message);
    }

    [Fact]
    public void Columns_of_different_lengths_are_refused()
    {
        var header = _files.Read(0).Header;
        var arrow = header.ArrowSchema();
        var arrays = arrow.FieldsList.Select((f, j) => (IArrowArray)ArrowShares.ToArrow(new ulong[j == 3 ? 9 : 10])).ToList();
        WriteArrow(_files.Party0, arrow, arrays, 10);
        var e = ReadAs(0, _files.Party0);
        Assert.Equal(ShareFileProblem.LengthMismatch, e.Problem);
        Assert.Contains($"field '{arrow.FieldsList[3].Name}' has 9 rows", e.Message);
        Assert.Contains("different lengths", e.Message);
    }

    [Fact]
    public void A_field_of_an_undeclared_column_is_refused()
    {
        var header = _files.Read(0).Header;
        var arrow = header.ArrowSchema();
        var ssn = new Field("ssn[x0]", UInt64Type.Default, false, [new("smpc.column", "ssn"), new("smpc.part", "value"), new("smpc.component", "0")]);
        var fields = arrow.FieldsList.ToList();
        fields.Insert(0, ssn);
        var withSsn = new Apache.Arrow.Schema(fields, arrow.Metadata);
        WriteArrow(_files.Party0, withSsn, fields.Select(_ => (IArrowArray)ArrowShares.ToArrow(new ulong[4])).ToList(), 4);
        var e = ReadAs(0, _files.Party0);
        Assert.Equal(ShareFileProblem.UnknownColumn, e.Problem);
        Assert.Contains("belongs to column 'ssn', which the schema 'veterans' does not declare", e.Message);

        fields[0] = new Field("notes", UInt64Type.Default, false);
        WriteArrow(_files.Party0, new Apache.Arrow.Schema(fields, arrow.Metadata), fields.Select(_ => (IArrowArray)ArrowShares.ToArrow(new ulong[4])).ToList(), 4);
        Assert.Contains("field 'notes' is not a share field", ReadAs(0, _files.Party0).Message);
    }

    [Fact]
    public void A_missing_or_mistyped_component_is_a_schema_mismatch()
    {
        var arrow = _files.Read(0).Header.ArrowSchema();
        var fields = arrow.FieldsList.Where(f => !(f.Metadata.GetValueOrDefault("smpc.domain") == "NY" && f.Metadata["smpc.component"] == "1")).ToList();
        WriteArrow(_files.Party0, new Apache.Arrow.Schema(fields, arrow.Metadata), fields.Select(_ => (IArrowArray)ArrowShares.ToArrow(new ulong[2])).ToList(), 2);
        var e = ReadAs(0, _files.Party0);
        Assert.Equal(ShareFileProblem.SchemaMismatch, e.Problem);
        Assert.Contains("lacks the indicator of 'NY' of column 'state', component 1", e.Message);

        fields = arrow.FieldsList.ToList();
        fields[0] = new Field(fields[0].Name, Int64Type.Default, false, fields[0].Metadata);
        var arrays = fields.Select((f, j) => j == 0 ? (IArrowArray)new Int64Array.Builder().AppendRange([1L, 2]).Build() : ArrowShares.ToArrow(new ulong[2])).ToList();
        WriteArrow(_files.Party0, new Apache.Arrow.Schema(fields, arrow.Metadata), arrays, 2);
        Assert.Contains("share fields are uint64", ReadAs(0, _files.Party0).Message);
    }

    [Fact]
    public void Files_of_different_uploads_or_datasets_do_not_load_together()
    {
        using var other = new TempDirectory();
        var second = ShareFileSet.For(other.Path, "veterans");
        second.Write(_secret, study: "s1");
        File.Copy(second.Party1, _files.Party1, overwrite: true);
        var e = Refused(ShareFileProblem.Inconsistent, () => _files.Load(_engine));
        Assert.Contains("different sharings", e.Message);

        Assert.Equal(ShareFileProblem.WrongDataset, Assert.Throws<ShareFileException>(() => _files.Read(0, study: "s2")).Problem);
        Assert.Contains("holds dataset 'veterans', not 'income'", Assert.Throws<ShareFileException>(() => _files.Read(0, dataset: "income")).Message);
    }

    [Fact]
    public void Views_that_are_not_one_sharing_are_refused()
    {
        using var dir = new TempDirectory();
        var spec = new ColumnSpec { Name = "k", Kind = ColumnKind.Pseudonym };
        var schema = new TableSchema { Name = "t", Columns = [spec] };
        var views = ReplicatedSharing.Share(new ulong[] { 1, 2, 3 });
        var forged = new ArithmeticShare(views[1].First.ToArray(), views[1].Second);
        forged.First[2] ^= 1;                      // party 1's copy of x1 no longer equals party 0's
        var files = ShareFileSet.For(dir.Path, "t");
        var header = new ShareFileHeader { Study = "s", Dataset = "t", PartyId = 0, UploadId = ShareFileHeader.NewUploadId(), Schema = schema };
        using (var w = new ShareFileSetWriter(files, header))
        {
            w.Write([new SharedTable("t", 0, [new SharedColumn(spec, 0, views[0])]), new SharedTable("t", 1, [new SharedColumn(spec, 1, forged)]), new SharedTable("t", 2, [new SharedColumn(spec, 2, views[2])])]);
            w.Commit();
        }
        var e = Refused(ShareFileProblem.Inconsistent, () => files.Load(_engine));
        Assert.Contains("disagree on replicated component 1 of column 'k' (first at row 2)", e.Message);
    }

    [Fact]
    public void Existing_files_are_not_replaced_unless_asked()
    {
        var before = File.ReadAllBytes(_files.Party0);
        var e = Refused(ShareFileProblem.Io, () => _files.Write(_secret, study: "s1"));
        Assert.Contains("already exists", e.Message);
        Assert.Equal(before, File.ReadAllBytes(_files.Party0));
        Assert.Equal(3, _dir.Files().Length);                    // no temporary files left
        var header = _files.Write(_secret, study: "s1", overwrite: true);
        Assert.Equal(header.UploadId, _files.Read(2).Header.UploadId);
    }

    [Fact]
    public void A_writer_refuses_rows_of_another_party_or_schema()
    {
        using var dir = new TempDirectory();
        var header = _files.Read(0).Header;
        using var writer = new ShareFileWriter(dir.File("x.p0.arrow"), header);
        Refused(ShareFileProblem.WrongParty, () => writer.Write(SharedTable.FromSecretTable(_secret, 1)));
        var narrower = ContributorEncoder.Share(_engine, new TableSchema { Name = "veterans", Columns = [Samples.Schema.Columns[0]] },
            new PlainTable("veterans").Add("age", new long[] { 1 }));
        Refused(ShareFileProblem.SchemaMismatch, () => writer.Write(SharedTable.FromSecretTable(narrower, 0)));
    }

    static void WriteArrow(string path, Apache.Arrow.Schema schema, IReadOnlyList<IArrowArray> arrays, int length)
    {
        using var stream = File.Create(path);
        using var writer = new ArrowFileWriter(stream, schema);
        writer.WriteRecordBatch(new RecordBatch(schema, arrays, length));
        writer.WriteEnd();
    }
}
