using System.Text;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>
/// Every kind of problem in a steward's file is named as FILE:LINE:COLUMN (1-based, the character where the field
/// starts, as an editor shows it) with the column's name; all problems come in one error, and nothing is shared.
/// </summary>
public sealed class DataValidationTests : TempFolders
{
    static readonly TableSchema Schema = new()
    {
        Name = "moorings",
        Columns =
        [
            new ColumnSpec { Name = "berth", Kind = ColumnKind.Categorical, Domain = ["east", "west"] },
            new ColumnSpec { Name = "length_m", Kind = ColumnKind.FixedPoint, FractionBits = 4, Min = 0, Max = 60 },
            new ColumnSpec { Name = "crew", Kind = ColumnKind.Integer, Min = 0, Max = 40, Nullable = true },
        ],
        Identifiers = [new IdentifierSpec { Name = "owner", Kind = IdentifierKind.LastName }],
    };

    const string Header = "owner,berth,length_m,crew\n";

    string Write(string text, string name = "moorings.csv") => WriteBytes(Encoding.UTF8.GetBytes(text), name);

    string WriteBytes(byte[] bytes, string name = "moorings.csv")
    {
        var path = Path.Combine(NewFolder(), name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    static string Only(string path) => Assert.Single(DatasetReader.Validate(path, Schema)).ToString();

    [Fact]
    public void A_valid_file_has_no_problem_and_reads_typed_columns()
    {
        var path = Write(Header + "Quill,east,12.5,3\n\"Dunmore, Jr\",west,7,\n");
        Assert.Empty(DatasetReader.Validate(path, Schema));
        var contents = DatasetReader.Read(path, Schema);
        Assert.Equal(new long?[] { 3, null }, (long?[])contents.Analysis["crew"]);
        Assert.Equal(new string?[] { "Quill", "Dunmore, Jr" }, (string?[])contents.Identifiers["owner"]);
    }

    [Fact]
    public void A_missing_column_is_named_at_the_header() =>
        Assert.Equal("moorings.csv:1:1: column 'crew': the schema 'moorings' declares this column, but the header lacks it (header: owner, berth, length_m)",
                     Only(Write("owner,berth,length_m\nQuill,east,12.5\n")));

    [Fact]
    public void A_duplicate_header_is_named_where_it_repeats() =>
        Assert.Equal("moorings.csv:1:27: column 'berth': the header names this column twice (first in field 2)",
                     Only(Write("owner,berth,length_m,crew,berth\nQuill,east,12.5,3,west\n")));

    [Fact]
    public void An_undeclared_column_is_named() =>
        Assert.Equal("moorings.csv:1:27: column 'colour': the schema 'moorings' does not declare this column; declare it, or remove it from the file",
                     Only(Write("owner,berth,length_m,crew,colour\nQuill,east,12.5,3,red\n")));

    [Fact]
    public void A_non_numeric_value_is_named_at_its_line_and_character() =>
        Assert.Equal("moorings.csv:3:18: column 'crew': 'three' is not an integer",
                     Only(Write(Header + "Quill,east,12.5,3\nHarrow,west,9.25,three\n")));

    [Fact]
    public void A_value_outside_the_declared_range_is_named() =>
        Assert.Equal("moorings.csv:2:12: column 'length_m': 75.5 is outside the declared range [0, 60]",
                     Only(Write(Header + "Quill,east,75.5,3\n")));

    [Fact]
    public void An_unknown_category_is_named() =>
        Assert.Equal("moorings.csv:2:7: column 'berth': 'north' is not in the declared domain (east, west)",
                     Only(Write(Header + "Quill,north,12.5,3\n")));

    [Fact]
    public void A_missing_value_in_a_column_not_declared_nullable_is_named() =>
        Assert.Equal("moorings.csv:2:12: column 'length_m': the value is missing, but the column is not declared nullable",
                     Only(Write(Header + "Quill,east,,3\n")));

    [Fact]
    public void An_empty_file_is_named() =>
        Assert.Equal("moorings.csv:1:1: the file is empty; a CSV dataset starts with a header row naming its columns", Only(Write("")));

    [Fact]
    public void A_header_without_rows_is_named() =>
        Assert.Equal("moorings.csv:2:1: the file has a header but no data rows", Only(Write(Header)));

    [Fact]
    public void Bytes_that_are_not_utf8_are_named_at_their_line_and_character()
    {
        var bytes = Encoding.UTF8.GetBytes(Header + "Quill,east,12.5,3\n").Concat(Encoding.Latin1.GetBytes("Ros\u00e9,west,8,2\n")).ToArray();
        Assert.Equal("moorings.csv:3:4: bytes that are not UTF-8 (is the file in Latin-1 or Windows-1252? save it as UTF-8)", Only(WriteBytes(bytes)));
    }

    [Fact]
    public void A_utf16_file_is_refused_by_its_byte_order_mark_and_a_utf8_bom_is_fine()
    {
        Assert.Equal("moorings.csv:1:1: the file starts with a UTF-16 LE byte-order mark; save it as UTF-8 (with or without a BOM)",
                     Only(WriteBytes(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Header + "Quill,east,12.5,3\n")).ToArray())));
        Assert.Empty(DatasetReader.Validate(WriteBytes([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Header + "Quill,east,12.5,3\n")]), Schema));
    }

    [Fact]
    public void A_record_with_the_wrong_number_of_fields_and_an_unclosed_quote_are_named()
    {
        Assert.Equal("moorings.csv:2:1: 3 fields, but the header has 4 columns", Only(Write(Header + "Quill,east,12.5\n")));
        Assert.Equal("moorings.csv:3:1: a quoted field is never closed (missing '\"')", Only(Write(Header + "Quill,east,12.5,3\n\"Harrow,west,9,2\n")));
    }

    [Fact]
    public void Every_problem_comes_in_one_error_and_nothing_is_shared()
    {
        var path = Write(Header + "Quill,north,12.5,3\nHarrow,west,99,2\n,east,1,x\n");
        using var study = new SecureStudy("checks", new SecureEngine());
        var terms = Strangers.Terms("moorings", ["berth", "length_m", "crew"], []);
        long sentBefore = study.Engine.Traffic.Sum(t => t.BytesSent);
        var e = Assert.Throws<DataValidationException>(() => study.Contribute(path, Schema, terms));
        Assert.Equal(
        [
            "moorings.csv:2:7: column 'berth': 'north' is not in the declared domain (east, west)",
            "moorings.csv:3:13: column 'length_m': 99 is outside the declared range [0, 60]",
            "moorings.csv:4:9: column 'crew': 'x' is not an integer",
            "moorings.csv:4:1: column 'owner': the value is missing, but the column is not declared nullable",
        ], e.Problems.Select(p => p.ToString()));
        Assert.Contains("4 problems; nothing was shared", e.Message);
        Assert.Empty(study.Datasets);
        Assert.Equal(sentBefore, study.Engine.Traffic.Sum(t => t.BytesSent));
    }

    [Fact]
    public void Problems_are_collected_up_to_the_cap()
    {
        var path = Write(Header + string.Concat(Enumerable.Repeat("Quill,north,12.5,3\n", 500)));
        var e = Assert.Throws<DataValidationException>(() => DatasetReader.Read(path, Schema, maxProblems: 100));
        Assert.Equal(100, e.Problems.Count);
        Assert.True(e.Truncated);
        Assert.Contains("100+ problems (the first are listed)", e.Message);
        Assert.All(e.Problems, p => Assert.Equal(DataProblemKind.UnknownCategory, p.Kind));
    }

    [Fact]
    public async Task Arrow_and_parquet_problems_name_the_row_and_field()
    {
        var folder = NewFolder();
        var parquet = Path.Combine(folder, "moorings.parquet");
        var schema = new Parquet.Schema.ParquetSchema(
            new Parquet.Schema.DataField<string>("owner"), new Parquet.Schema.DataField<string>("berth"),
            new Parquet.Schema.DataField<double>("length_m"), new Parquet.Schema.DataField<long?>("crew"));
        var rows = new List<IDictionary<string, object?>>
        {
            new Dictionary<string, object?> { ["owner"] = "Quill", ["berth"] = "east", ["length_m"] = 12.5, ["crew"] = 3L },
            new Dictionary<string, object?> { ["owner"] = "Harrow", ["berth"] = "west", ["length_m"] = 61.0, ["crew"] = 2L },
        };
        await using (var stream = File.Create(parquet))
            await Parquet.Serialization.ParquetSerializer.SerializeUntypedAsync(rows, schema, stream);
        Assert.Equal("moorings.parquet: row 2, field 3: column 'length_m': 61 is outside the declared range [0, 60]", Only(parquet));

        var arrow = Path.Combine(folder, "moorings.arrow");
        var batch = new Apache.Arrow.RecordBatch.Builder()
            .Append("owner", false, c => c.String(b => b.Append("Quill").Append("Harrow")))
            .Append("berth", false, c => c.String(b => b.Append("east").Append("south")))
            .Append("length_m", false, c => c.Double(b => b.Append(12.5).Append(9)))
            .Append("crew", true, c => c.Int64(b => b.Append(3).AppendNull()))
            .Build();
        using (var stream = File.Create(arrow))
        using (var writer = new Apache.Arrow.Ipc.ArrowFileWriter(stream, batch.Schema))
        {
            writer.WriteRecordBatch(batch);
            writer.WriteEnd();
        }
        Assert.Equal("moorings.arrow: row 2, field 2: column 'berth': 'south' is not in the declared domain (east, west)", Only(arrow));
        var inferred = SchemaInference.Infer(arrow).Schema;
        Assert.Equal(ColumnKind.FixedPoint, inferred.Column("length_m").Kind);
        Assert.True(inferred.Column("crew").Nullable);
    }
}
