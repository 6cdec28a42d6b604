using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Columnar.Contributor;
using Smpc.Analytics.Columnar.Ipc;
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Tests.Columnar;

public sealed class ContributorStreamTests : IDisposable
{
    readonly TempDirectory _dir = new();
    readonly SecureEngine _engine = new();
    static readonly ContributorOptions Options = new() { Study = "s1", BatchSize = 1000 };

    public void Dispose()
    {
        _engine.Dispose();
        _dir.Dispose();
    }

    ShareFileSet Output => ShareFileSet.For(_dir.Path, "veterans");

    string WriteCsv(string text, string name = "veterans.csv")
    {
        var path = _dir.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_csv_larger_than_one_batch_is_shared_in_batches_and_equals_the_plaintext()
    {
        var rows = Samples.Rows(2500, seed: 10);
        var result = ContributorStream.ShareCsv(WriteCsv(Samples.Csv(rows)), Samples.Schema, Output, Options);
        Assert.Equal(2500, result.Rows);
        Assert.Equal(3, result.Batches);
        Assert.Equal(["benefit"], result.Header.PresenceColumns);   // the nullable categorical 'zone' keeps missing values in its code
        Assert.Equal(["state", "zone"], result.Header.CodedColumns);

        // each party's file holds record batches of at most the contributor's batch size
        for (int p = 0; p < 3; p++) Assert.Equal([1000, 1000, 500], BatchLengths(Output[p]));

        var table = Output.Load(_engine, Samples.Schema, study: "s1", dataset: "veterans");
        Samples.AssertMatches(rows, table);
        var enrolledAge = _engine.Reveal(_engine.Dot([(table["age"].Values!, table["enrolled"].Values!)]))[0];
        Assert.Equal((ulong)rows.Where(r => r.Enrolled).Sum(r => r.Age), enrolledAge);
        Assert.Equal(["veterans.csv", "veterans.p0.arrow", "veterans.p1.arrow", "veterans.p2.arrow"], _dir.Files().Order());
    }

    [Fact]
    public void Streaming_encodes_exactly_like_the_in_memory_encoder()
    {
        var rows = Samples.Rows(40, seed: 11).Select(r => r with { Benefit = r.Benefit ?? 1.5, Zone = r.Zone ?? "N" }).ToArray();  // nothing missing
        ContributorStream.ShareCsv(WriteCsv(Samples.Csv(rows)), Samples.Schema, Output, Options with { BatchSize = 7 });
        var streamed = Output.Load(_engine, Samples.Schema);
        var inMemory = ContributorEncoder.Share(_engine, Samples.Schema, Samples.Table(rows));
        foreach (var c in inMemory.Columns)
        {
            var a = c.Vectors().ToArray();
            var b = streamed[c.Name].Vectors().ToArray();
            Assert.Equal(a.Length, b.Length);
            for (int k = 0; k < a.Length; k++) Assert.Equal(_engine.Reveal(a[k]), _engine.Reveal(b[k]));
            // both paths add presence vectors for nullable columns even when nothing is missing
            Assert.Equal(c.Spec.Nullable, c.Present is not null);
            if (c.Spec.Nullable) Assert.All(_engine.Reveal(b[^1]), v => Assert.Equal(1UL, v));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_arrow_ipc_dataset_is_shared_and_equals_the_plaintext(bool fileFormat)
    {
        var rows = Samples.Rows(2300, seed: 12);
        var path = _dir.File(fileFormat ? "veterans.arrow" : "veterans.arrows");
        WriteArrowDataset(path, rows, fileFormat, batchRows: 700);
        var result = ContributorStream.ShareFile(path, Samples.Schema, Output, Options);
        Assert.Equal(2300, result.Rows);
        Assert.Equal([1000, 1000, 300], BatchLengths(Output[1]));
        Samples.AssertMatches(rows, Output.Load(_engine, Samples.Schema));
    }

    [Fact]
    public void A_header_only_csv_gives_empty_share_files()
    {
        var result = ContributorStream.ShareCsv(WriteCsv("age,benefit,state,enrolled,id,zone\n"), Samples.Schema, Output, Options);
        Assert.Equal(0, result.Rows);
        var table = Output.Load(_engine, Samples.Schema);
        Assert.Equal(0, table.RowCount);
        Assert.Equal(Samples.Schema.Columns.Count, table.Columns.Count);
    }

    [Fact]
    public void Csv_with_a_bom_quoted_header_blank_lines_and_embedded_line_breaks_is_read()
    {
        var one = new TableSchema
        {
            Name = "v",
            Columns =
            [
                new ColumnSpec { Name = "age", Kind = ColumnKind.Integer, Min = -10, Max = 10 },
                new ColumnSpec { Name = "note", Kind = ColumnKind.Categorical, Domain = ["a\nb", "c"] },
            ],
        };
        var path = _dir.File("v.csv");
        File.WriteAllText(path, "\"note\",age\r\n\"a\nb\", -3 \r\n\r\nc,4\n", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        var result = ContributorStream.ShareCsv(path, one, ShareFileSet.For(_dir.Path, "v"), Options);
        Assert.Equal(2, result.Rows);
        var table = ShareFileSet.For(_dir.Path, "v").Load(_engine, one);
        Assert.Equal([unchecked((ulong)-3L), 4UL], _engine.Reveal(table["age"].Values!));
        Assert.Equal([1UL, 0], _engine.Reveal(table["note"].Indicator("a\nb")));
    }

    public static TheoryData<string, string, string[]> BadCsv => new()
    {
        // (what to put in data row 1500's place, the column to corrupt, fragments the message must contain)
        { "malformed number", "age=abc", ["'veterans.csv' line 1501 (row 1500), column 'age'", "'abc' is not an integer"] },
        { "not an integer", "age=12.5", ["line 1501 (row 1500), column 'age'", "12.5 is not an integer"] },
        { "out of range", "age=1001", ["line 1501 (row 1500), column 'age'", "1001 is outside the declared range [-1000, 1000]"] },
        { "fixed point out of range", "benefit=-20000.5", ["column 'benefit'", "outside the declared range [-20000, 20000]"] },
        { "outside the domain", "state=WA", ["line 1501 (row 1500), column 'state'", "'WA' is not in the declared domain (CA, TX, NY, Québec, \"QC\")"] },
        { "missing non-nullable", "age=", ["line 1501 (row 1500), column 'age'", "missing, but the schema does not declare it nullable"] },
        { "bad boolean", "enrolled=maybe", ["column 'enrolled'", "'maybe' is not true/false"] },
        { "bad pseudonym", "id=-5", ["column 'id'", "'-5' is not a 64-bit pseudonym"] },
    };

    [Theory]
    [MemberData(nameof(BadCsv))]
    public void A_bad_value_in_a_later_batch_is_refused_and_nothing_is_written(string rule, string change, string[] fragments)
    {
        var rows = Samples.Rows(2500, seed: 13);
        var lines = Samples.Csv(rows).Split("\r\n");
        var header = lines[0].Split('\n')[0].Split(',');
        var (column, value) = (change.Split('=')[0], change.Split('=')[1]);
        // data row 1500 is physical line 1501; the header is on line 1 (lines[0] holds the header and row 1)
        var fields = SplitCsv(lines[1499]);
        fields[System.Array.IndexOf(header, column)] = value;
        lines[1499] = string.Join(",", fields);
        var path = WriteCsv(string.Join("\r\n", lines));

        var e = Assert.ThrowsAny<SmpcException>(() => ContributorStream.ShareCsv(path, Samples.Schema, Output, Options));
        foreach (var f in fragments) Assert.Contains(f, e.Message);
        Assert.True(e is SchemaException or RangeException, rule);
        Assert.Equal(["veterans.csv"], _dir.Files());          // no share file, no temporary file
    }

    [Theory]
    [InlineData("age,benefit,state,enrolled,id,zone,ssn\n", "columns the schema does not declare: 'ssn'")]
    [InlineData("age,benefit,state,enrolled,id\n", "columns the schema requires but the file lacks: 'zone'")]
    [InlineData("age,benefit,state,enrolled,id,zone,age\n", "columns named twice: 'age'")]
    [InlineData("age,benefit,state,enrolled,id,zone\n1,2.5,CA,true,7,N\n3,,TX,false,8\n", "'veterans.csv' line 3 (row 2): 5 fields, but the header has 6 columns")]
    [InlineData("age,benefit,state,enrolled,id,zone\n1,2.5,\"CA,true,7,N\n", "line 2: a quoted field is never closed")]
    [InlineData("", "is empty")]
    public void Malformed_csv_structure_is_refused(string csv, string fragment)
    {
        var path = WriteCsv(csv);
        var e = Assert.Throws<SchemaException>(() => ContributorStream.ShareCsv(path, Samples.Schema, Output, Options));
        Assert.Contains(fragment, e.Message);
        Assert.Equal(["veterans.csv"], _dir.Files());
    }

    [Fact]
    public void Bad_arrow_values_are_refused_with_row_and_column()
    {
        var rows = Samples.Rows(1500, seed: 14);
        var path = _dir.File("v.arrow");

        rows[1234] = rows[1234] with { State = "WA" };
        WriteArrowDataset(path, rows, fileFormat: true, batchRows: 500);
        var domain = Assert.Throws<SchemaException>(() => ContributorStream.ShareArrow(path, Samples.Schema, Output, Options));
        Assert.Contains("'v.arrow' row 1235, column 'state': 'WA' is not in the declared domain", domain.Message);

        rows[1234] = rows[1234] with { State = "CA", Benefit = 1e9 };
        WriteArrowDataset(path, rows, fileFormat: true, batchRows: 500);
        var range = Assert.Throws<RangeException>(() => ContributorStream.ShareArrow(path, Samples.Schema, Output, Options));
        Assert.Contains("row 1235, column 'benefit': 1000000000 is outside the declared range", range.Message);

        // a column whose Arrow type cannot hold the declared kind
        var schema = new Apache.Arrow.Schema([new Field("age", BooleanType.Default, true)], null);
        WriteArrow(path, schema, [new BooleanArray.Builder().Append(true).Build()], 1);
        var one = new TableSchema { Name = "v", Columns = [Samples.Schema.Column("age")] };
        var type = Assert.Throws<SchemaException>(() => ContributorStream.ShareArrow(path, one, Output, Options));
        Assert.Contains("column 'age': Arrow type bool cannot hold an integer in [-1000, 1000]", type.Message);

        // a null in a non-nullable column
        WriteArrow(path, new Apache.Arrow.Schema([new Field("age", Int64Type.Default, true)], null), [new Int64Array.Builder().Append(5).AppendNull().Build()], 2);
        Assert.Contains("row 2, column 'age': the value is missing", Assert.Throws<SchemaException>(() => ContributorStream.ShareArrow(path, one, Output, Options)).Message);

        // not Arrow at all
        File.WriteAllText(path, "age\n1\n");
        Assert.Contains("not a readable Arrow IPC", Assert.Throws<SchemaException>(() => ContributorStream.ShareArrow(path, one, Output, Options)).Message);
        Assert.Equal(["v.arrow"], _dir.Files());
    }

    [Fact]
    public void Existing_share_files_are_kept_unless_overwrite_is_asked()
    {
        var path = WriteCsv(Samples.Csv(Samples.Rows(10, seed: 15)));
        var first = ContributorStream.ShareCsv(path, Samples.Schema, Output, Options);
        var e = Assert.Throws<ShareFileException>(() => ContributorStream.ShareCsv(path, Samples.Schema, Output, Options));
        Assert.Equal(ShareFileProblem.Io, e.Problem);
        Assert.Equal(first.Header.UploadId, Output.Read(0).Header.UploadId);
        var second = ContributorStream.ShareCsv(path, Samples.Schema, Output, Options with { Overwrite = true });
        Assert.NotEqual(first.Header.UploadId, second.Header.UploadId);
        Assert.Equal(second.Header.UploadId, Output.Read(2).Header.UploadId);
        Assert.Equal(4, _dir.Files().Length);
    }

    static int[] BatchLengths(string path)
    {
        using var reader = new ArrowFileReader(File.OpenRead(path));
        var lengths = new List<int>();
        while (reader.ReadNextRecordBatch() is { } b) using (b) lengths.Add(b.Length);
        return lengths.ToArray();
    }

    static string[] SplitCsv(string line)
    {
        var fields = new List<string>();
        var sb = new System.Text.StringBuilder();
        bool quoted = false;
        foreach (char ch in line)
        {
            if (ch == '"') quoted = !quoted;
            if (ch == ',' && !quoted) { fields.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(ch);
        }
        fields.Add(sb.ToString());
        return fields.ToArray();
    }

    /// <summary>Writes rows as Arrow IPC: age int32, benefit double (nulls), state dictionary-encoded, enrolled bool,
    /// id uint64, zone string (nulls), in record batches of <paramref name="batchRows"/>.</summary>
    static void WriteArrowDataset(string path, Samples.Row[] rows, bool fileFormat, int batchRows)
    {
        var dictType = new DictionaryType(Int32Type.Default, StringType.Default, false);
        var schema = new Apache.Arrow.Schema(
        [
            new Field("zone", StringType.Default, true), new Field("age", Int32Type.Default, false),
            new Field("benefit", DoubleType.Default, true), new Field("state", dictType, false),
            new Field("enrolled", BooleanType.Default, false), new Field("id", UInt64Type.Default, false),
        ], null);
        using var stream = File.Create(path);
        using ArrowStreamWriter writer = fileFormat ? new ArrowFileWriter(stream, schema) : new ArrowStreamWriter(stream, schema);
        var states = Samples.States.Union(rows.Select(r => r.State)).ToArray();   // a value outside the domain stays itself
        var dictionary = new StringArray.Builder().AppendRange(states).Build();
        for (int start = 0; start < rows.Length; start += batchRows)
        {
            var part = rows.Skip(start).Take(batchRows).ToArray();
            var zone = new StringArray.Builder();
            foreach (var r in part) if (r.Zone is null) zone.AppendNull(); else zone.Append(r.Zone);
            var benefit = new DoubleArray.Builder();
            foreach (var r in part) if (r.Benefit is { } b) benefit.Append(b); else benefit.AppendNull();
            var stateIdx = new Int32Array.Builder().AppendRange(part.Select(r => System.Array.IndexOf(states, r.State))).Build();
            var state = new DictionaryArray(dictType, stateIdx, dictionary);
            IArrowArray[] arrays =
            [
                zone.Build(), new Int32Array.Builder().AppendRange(part.Select(r => (int)r.Age)).Build(), benefit.Build(), state,
                new BooleanArray.Builder().AppendRange(part.Select(r => r.Enrolled)).Build(), new UInt64Array.Builder().AppendRange(part.Select(r => r.Id)).Build(),
            ];
            writer.WriteRecordBatch(new RecordBatch(schema, arrays, part.Length));
        }
        writer.WriteEnd();
    }

    static void WriteArrow(string path, Apache.Arrow.Schema schema, IReadOnlyList<IArrowArray> arrays, int length)
    {
        using var stream = File.Create(path);
        using var writer = new ArrowFileWriter(stream, schema);
        writer.WriteRecordBatch(new RecordBatch(schema, arrays, length));
        writer.WriteEnd();
    }
}
