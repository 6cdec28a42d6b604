using Smpc.Analytics.Interactive.Api;

namespace Smpc.Analytics.Interactive.Tests.Api;

public sealed class ReleaseTableTests
{
    static ReleaseTable Sample() => new("mean(x) by g", ["g"], ["n", "mean(x)"],
    [
        new ReleaseRow(["a"], [12, 1.5], null),
        new ReleaseRow(["b"], null, "n < 11"),
        new ReleaseRow(["c"], [40, -2.25], null),
    ]);

    [Fact]
    public void Columns_cells_and_released_rows_read_like_a_data_frame()
    {
        var t = Sample();
        Assert.Equal(["g", "n", "mean(x)"], t.Columns);
        Assert.Equal([1.5, null, -2.25], t["mean(x)"]);
        Assert.Equal("c", t[2, "g"]);
        Assert.Null(t[1, "n"]);
        Assert.Equal(2, t.Released.Count());
        Assert.Equal(1, t.SuppressedCount);
        Assert.Contains("Columns: g, n, mean(x)", Assert.Throws<QueryException>(() => t["sum(x)"]).Message);
    }

    [Fact]
    public void It_converts_to_a_DataFrame_with_nulls_where_cells_were_suppressed()
    {
        var df = Sample().ToDataFrame();
        Assert.Equal(3, df.Rows.Count);
        Assert.Equal(["g", "n", "mean(x)", "suppressed"], df.Columns.Select(c => c.Name));
        Assert.Equal("b", df.Columns["g"][1]);
        Assert.Null(df.Columns["mean(x)"][1]);
        Assert.Equal(-2.25, df.Columns["mean(x)"][2]);
        Assert.Equal("n < 11", df.Columns["suppressed"][1]);
        Assert.Equal(1, df.Columns["mean(x)"].NullCount);
    }

    [Fact]
    public void Rows_that_do_not_fit_the_columns_are_rejected()
    {
        Assert.Throws<ShapeException>(() => new ReleaseTable("t", ["g"], ["n"], [new ReleaseRow(["a", "b"], [1], null)]));
        Assert.Throws<ShapeException>(() => new ReleaseTable("t", ["g"], ["n"], [new ReleaseRow(["a"], [1, 2], null)]));
        Assert.Throws<ShapeException>(() => new ReleaseTable("t", ["g"], ["n"], [new ReleaseRow(["a"], null, null)]));
    }
}
