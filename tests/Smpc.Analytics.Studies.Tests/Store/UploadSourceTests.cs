using System.Text;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Studies.Store;

namespace Smpc.Analytics.Studies.Tests.Store;

/// <summary>A contributor reads a CSV in chunks of whole records (bounded memory): the problems it finds, and where,
/// are exactly those of reading the whole file, and the rows it yields are the whole file's rows.</summary>
public sealed class UploadSourceTests : TempFolders
{
    static readonly TableSchema Schema = new()
    {
        Name = "moorings",
        Columns =
        [
            new ColumnSpec { Name = "berth", Kind = ColumnKind.Categorical, Domain = ["east", "west"] },
            new ColumnSpec { Name = "length_m", Kind = ColumnKind.FixedPoint, FractionBits = 4, Min = 0, Max = 60 },
        ],
        Identifiers = [new IdentifierSpec { Name = "owner", Kind = IdentifierKind.LastName }],
    };

    string Write(string text)
    {
        var path = Path.Combine(NewFolder(), "moorings.csv");
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Rows with quoted owners spanning two lines, blank lines, CRLF, and problems at chosen rows.</summary>
    static string Text(int rows, params int[] badRows)
    {
        var text = new StringBuilder("owner,berth,length_m\r\n");
        for (int r = 0; r < rows; r++)
        {
            string owner = r % 5 == 0 ? $"\"Quill\nand sons {r}\"" : $"Dunmore{r}";
            string berth = badRows.Contains(r) ? "north" : r % 2 == 0 ? "east" : "west";
            string length = badRows.Contains(r + 1000) ? "long" : $"{r % 50}.5";
            text.Append($"{owner},{berth},{length}\r\n");
            if (r % 11 == 4) text.Append("\r\n");
        }
        return text.ToString();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(1000)]
    public void Chunked_validation_names_the_same_problems_at_the_same_lines_as_the_whole_file(int rowsPerChunk)
    {
        var path = Write(Text(40, 2, 17, 1030, 39));
        var whole = DatasetReader.Validate(path, Schema).Select(p => p.ToString()).ToList();
        Assert.Equal(4, whole.Count);
        var error = Assert.Throws<DataValidationException>(() => UploadSource.Open(path, Schema, StoreTestStudy.Terms("moorings"), new byte[32], rowsPerChunk, _ => { }));
        Assert.Equal(whole, error.Problems.Select(p => p.ToString()));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(40)]
    public void Chunked_rows_are_the_whole_files_rows(int rowsPerChunk)
    {
        var path = Write(Text(40));
        var whole = DatasetReader.Read(path, Schema);
        var source = UploadSource.Open(path, Schema, StoreTestStudy.Terms("moorings"), new byte[32], rowsPerChunk, _ => { });
        Assert.Equal(40, source.Rows);
        var batches = source.Batches().ToList();
        Assert.Equal((40 + rowsPerChunk - 1) / rowsPerChunk, batches.Count);
        Assert.All(batches, b => Assert.True(b.RowCount <= rowsPerChunk));
        foreach (var column in new[] { "berth", "length_m" })
            Assert.Equal(((Array)whole.Analysis[column]).Cast<object?>(), batches.SelectMany(b => ((Array)b[column]).Cast<object?>()));
    }

    [Fact]
    public void A_file_with_a_header_only_is_an_empty_file_problem()
    {
        var path = Write("owner,berth,length_m\n");
        var error = Assert.Throws<DataValidationException>(() => UploadSource.Open(path, Schema, StoreTestStudy.Terms("moorings"), new byte[32], 8, _ => { }));
        Assert.Equal(DatasetReader.Validate(path, Schema).Select(p => p.ToString()), error.Problems.Select(p => p.ToString()));
    }
}
