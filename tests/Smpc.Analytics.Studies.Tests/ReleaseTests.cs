using Smpc.Analytics.Engine;
using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>A release reads like a data frame: key and statistic columns, cells by label, status and rule per row.</summary>
public sealed class ReleaseTests : IDisposable
{
    readonly SecureStudy _study = SecureStudy.OpenDemo(size: 600, seed: 9, engine: new PlaintextEngine());

    public void Dispose() => _study.Dispose();

    /// <summary>Issue 16.4: values to the precision the statistic supports — counts whole, a mean of money (8 fraction
    /// bits) to the cent, regression coefficients to four decimals — in ToString and the notebook's table (the report: ReportPrecisionTests).</summary>
    [Fact]
    public void Each_statistic_shows_the_decimals_it_supports()
    {
        var count = _study.Count("bank", "state");
        Assert.All(count.Decimals!, d => Assert.Equal(0, d));
        int total = count.RowOf(Release.AllLabel);
        Assert.Equal("600", count.Text(total, "count"));

        var mean = _study.Mean("veterans", "monthly_benefit", "service_era");
        Assert.Equal([0, 2], mean.Decimals!);                   // count, mean(monthly_benefit)
        foreach (int row in mean.ReleasedRows)
        {
            var text = mean.Text(row, "mean(monthly_benefit)");
            Assert.Matches(@"^[\d,]+\.\d{2}$", text);
            Assert.Equal(Math.Round(mean.Value(row, "mean(monthly_benefit)")!.Value, 2), double.Parse(text.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Contains(text, mean.ToString());
        }
        var sum = _study.Sum("veterans", "age");           // an integer column: whole
        Assert.Equal(0, sum.Decimals![sum.ValueColumns.ToList().IndexOf("sum(age)")]);

        var fit = _study.Ols("veterans", "monthly_benefit", "age");
        Assert.All(fit.Decimals!, d => Assert.Equal(ReleasePrecision.Fitted, d));
        Assert.Matches(@"^-?[\d,]+\.\d{4}$", fit.Text(0, "coefficient"));
    }

    [Fact]
    public void Cells_rows_and_columns_read_by_label()
    {
        var release = _study.Count("bank", "state");
        Assert.Equal(["state"], release.KeyColumns);
        Assert.Equal(["count"], release.ValueColumns);
        Assert.Equal(["state", "count", "status", "rule"], release.Table.Columns.Select(c => c.Name));
        int total = release.RowOf(Release.AllLabel);
        Assert.True(release.IsMargin(total));
        Assert.Equal(600, release.Cell("count", Release.AllLabel));
        Assert.Equal(release.RowCount, release["count"].Length);
        var suppressed = release.SuppressedRows.First();
        Assert.Null(release.Value(suppressed, "count"));
        Assert.Equal("suppressed", release.Table.Columns["status"][suppressed]);
        Assert.StartsWith("cell size < 20", release.Rule(suppressed));
        Assert.Contains($"suppressed ({release.Rule(suppressed)})", release.ToString());
        Assert.Equal(-1, release.RowOf("XX"));
    }

    [Fact]
    public void As_text_every_column_starts_at_the_same_place_on_every_line_and_values_never_touch_the_status()
    {
        var release = _study.Mean("veterans", "monthly_benefit", "state");
        var lines = release.ToString().Split('\n')[1..(release.RowCount + 2)];
        int status = lines[0].IndexOf("status", StringComparison.Ordinal);
        int mean = lines[0].IndexOf("mean(monthly_benefit)", StringComparison.Ordinal) + "mean(monthly_benefit)".Length;   // numbers end here
        for (int r = 0; r < release.RowCount; r++)
        {
            var line = lines[r + 1];
            Assert.True(line.Length > status && line[status - 1] == ' ' && line[status - 2] == ' ', line);
            Assert.StartsWith(release.IsSuppressed(r) ? "suppressed (" : "released", line[status..]);
            Assert.Equal(' ', line[mean]);                                               // right-aligned numbers end at the header's end
            Assert.NotEqual(' ', line[mean - 1]);
        }
    }

    [Fact]
    public void Asking_for_what_a_release_does_not_have_is_a_clear_error()
    {
        var release = _study.Mean("veterans", "age", "sex");
        Assert.Contains("no statistic column 'median(age)'", Assert.Throws<QueryException>(() => release.Value(0, "median(age)")).Message);
        Assert.Contains("Give one label per key column (sex); got 2", Assert.Throws<QueryException>(() => release.Cell("mean(age)", "F", "M")).Message);
        Assert.Contains("has no row X", Assert.Throws<QueryException>(() => release.Cell("mean(age)", "X")).Message);
    }

    [Fact]
    public void The_cost_names_every_reveal_with_its_audience()
    {
        var release = _study.Median("veterans", "age", "service_era");
        var lines = release.Cost.RevealLines().ToList();
        int released = release.ReleasedRows.Count();
        Assert.Contains($"to the analyst: {released} × 1 value — release median(age)", lines);
        Assert.Contains(lines, l => l.StartsWith("to the compute parties:"));
        Assert.Matches(@"^\d[\d,]* rows · \d[\d,]* rounds · ", release.Cost.Summary);
    }
}
