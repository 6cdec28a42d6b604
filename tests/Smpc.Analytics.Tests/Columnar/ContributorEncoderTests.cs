using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Tests.Columnar;

public class ContributorEncoderTests
{
    static readonly TableSchema Schema = new()
    {
        Name = "veterans",
        Columns =
        [
            new ColumnSpec { Name = "age", Kind = ColumnKind.Integer, Min = 17, Max = 110 },
            new ColumnSpec { Name = "benefit", Kind = ColumnKind.FixedPoint, FractionBits = 8, Min = 0, Max = 20000, Nullable = true },
            new ColumnSpec { Name = "state", Kind = ColumnKind.Categorical, Domain = ["CA", "TX", "NY"] },
            new ColumnSpec { Name = "enrolled", Kind = ColumnKind.Boolean },
        ],
    };

    static PlainTable Data(long?[]? ages = null, string?[]? states = null) => new PlainTable("veterans")
        .Add("age", ages ?? new long?[] { 70, 45, 88 })
        .Add("benefit", new double?[] { 1200.5, null, 310.25 })
        .Add("state", states ?? new string?[] { "TX", "CA", "TX" })
        .Add("enrolled", new bool?[] { true, false, true });

    [Fact]
    public void Shares_every_kind_and_reveals_the_encoding()
    {
        using var engine = new SecureEngine();
        var table = ContributorEncoder.Share(engine, Schema, Data());
        Assert.Equal(3, table.RowCount);
        Assert.Equal([70UL, 45, 88], engine.Reveal(table["age"].Values!));
        var fp = new FixedPoint(8);
        Assert.Equal([1200.5, 0, 310.25], fp.Decode(engine.Reveal(table["benefit"].Values!)));
        Assert.Equal([1UL, 0, 1], engine.Reveal(table["benefit"].Present!));
        Assert.Equal([0UL, 1, 0], engine.Reveal(table["state"].Indicator("CA")));
        Assert.Equal([1UL, 0, 1], engine.Reveal(table["state"].Indicator("TX")));
        Assert.Equal([1UL, 0, 1], engine.Reveal(table["enrolled"].Values!));
    }

    [Fact]
    public void Bad_input_is_refused_naming_column_and_row()
    {
        using var engine = new PlaintextEngine();
        var range = Assert.Throws<RangeException>(() => ContributorEncoder.Share(engine, Schema, Data(ages: [70, 150, 88])));
        Assert.Contains("'veterans'.'age' row 1", range.Message);
        var domain = Assert.Throws<SchemaException>(() => ContributorEncoder.Share(engine, Schema, Data(states: ["TX", "ZZ", "CA"])));
        Assert.Contains("'ZZ' is not in the declared domain", domain.Message);
        var missing = Assert.Throws<SchemaException>(() => ContributorEncoder.Share(engine, Schema, Data(ages: [70, null, 88])));
        Assert.Contains("not declare it nullable", missing.Message);
        var unknown = Assert.Throws<SchemaException>(() => ContributorEncoder.Share(engine, Schema, Data().Add("ssn", new string[] { "a", "b", "c" })));
        Assert.Contains("ssn", unknown.Message);
        var table = ContributorEncoder.Share(engine, Schema, Data());
        Assert.Contains("Unknown column 'salary'", Assert.Throws<SchemaException>(() => table["salary"]).Message);
    }

    [Fact]
    public void Invalid_schemas_are_refused()
    {
        var bad = new TableSchema { Name = "x", Columns = [new ColumnSpec { Name = "c", Kind = ColumnKind.Categorical }, new ColumnSpec { Name = "n", Kind = ColumnKind.Integer }] };
        var ex = Assert.Throws<SchemaException>(() => bad.Validate());
        Assert.Contains("needs a declared domain", ex.Message);
        Assert.Contains("need declared bounds", ex.Message);
    }
}
