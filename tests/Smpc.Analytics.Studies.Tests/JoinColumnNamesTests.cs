using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>The joined table's column names are known before anything is linked (`smpc analyze` checks a query's columns
/// against them before the join runs): <see cref="SecureJoin.ColumnNames"/> names them exactly as the join does —
/// renamed columns of later tables, left joins' matched flags, two and three tables.</summary>
public sealed class JoinColumnNamesTests
{
    [Theory]
    [InlineData(JoinKind.Inner, new[] { "veterans", "bank" })]
    [InlineData(JoinKind.Left, new[] { "veterans", "bank" })]
    [InlineData(JoinKind.Inner, new[] { "veterans", "bank", "survey" })]
    [InlineData(JoinKind.Left, new[] { "veterans", "bank", "survey" })]
    public void Column_names_known_before_the_join_are_the_joins_own(JoinKind kind, string[] datasets)
    {
        using var study = SecureStudy.OpenDemo(size: 600, seed: 3, name: "names", engine: new PlaintextEngine());
        var expected = SecureJoin.ColumnNames([.. datasets.Select(d => (d, (IReadOnlyList<string>)[.. study.Dataset(d).Table.Columns.Select(c => c.Name)]))], kind);
        var join = study.Join(new JoinRequest { Datasets = datasets, Kind = kind, Name = "joined" });
        Assert.Equal(join.Columns.Order(StringComparer.Ordinal), expected.Order(StringComparer.Ordinal));
        if (kind == JoinKind.Left) Assert.Contains(datasets.Length == 2 ? "matched" : "matched_survey", expected);
    }
}
