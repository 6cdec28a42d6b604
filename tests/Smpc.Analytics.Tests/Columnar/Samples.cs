using System.Globalization;
using System.Text;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Tests.Columnar;

/// <summary>One schema with every column kind, generated rows, and their expected encodings (computed here,
/// independently of the encoder, from the plaintext).</summary>
public static class Samples
{
    public static readonly string[] States = ["CA", "TX", "NY", "Québec, \"QC\""];

    public static readonly TableSchema Schema = new()
    {
        Name = "veterans",
        Columns =
        [
            new ColumnSpec { Name = "age", Kind = ColumnKind.Integer, Min = -1000, Max = 1000 },
            new ColumnSpec { Name = "benefit", Kind = ColumnKind.FixedPoint, FractionBits = 8, Min = -20000, Max = 20000, Nullable = true },
            new ColumnSpec { Name = "state", Kind = ColumnKind.Categorical, Domain = States },
            new ColumnSpec { Name = "enrolled", Kind = ColumnKind.Boolean },
            new ColumnSpec { Name = "id", Kind = ColumnKind.Pseudonym },
            new ColumnSpec { Name = "zone", Kind = ColumnKind.Categorical, Domain = ["N", "S"], Nullable = true },
        ],
    };

    public sealed record Row(long Age, double? Benefit, string State, bool Enrolled, ulong Id, string? Zone);

    public static Row[] Rows(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(i => new Row(
            i == 0 ? -1000 : i == 1 ? 1000 : rng.Next(-1000, 1001),
            rng.Next(5) == 0 ? null : Math.Round((rng.NextDouble() - 0.5) * 40000, 3),
            States[rng.Next(States.Length)],
            rng.Next(2) == 1,
            (ulong)rng.NextInt64() * 3 + (ulong)i,
            rng.Next(4) switch { 0 => null, 1 => "N", _ => "S" })).ToArray();
    }

    public static PlainTable Table(int n, int seed) => Table(Rows(n, seed));

    public static PlainTable Table(Row[] rows) => new PlainTable("veterans")
        .Add("age", rows.Select(r => r.Age).ToArray())
        .Add("benefit", rows.Select(r => r.Benefit).ToArray())
        .Add("state", rows.Select(r => r.State).ToArray())
        .Add("enrolled", rows.Select(r => r.Enrolled).ToArray())
        .Add("id", rows.Select(r => r.Id).ToArray())
        .Add("zone", rows.Select(r => r.Zone).ToArray());

    /// <summary>The rows as CSV (columns in a different order from the schema, quoting where needed).</summary>
    public static string Csv(Row[] rows)
    {
        var sb = new StringBuilder("id,state,age,benefit,enrolled,zone\n");
        foreach (var r in rows)
            sb.Append(CultureInfo.InvariantCulture,
                $"{r.Id},{Quote(r.State)},{r.Age},{r.Benefit?.ToString("R", CultureInfo.InvariantCulture)},{(r.Enrolled ? "true" : "0")},{r.Zone}\r\n");
        return sb.ToString();
    }

    static string Quote(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    /// <summary>Expected plaintext encoding of every vector, by the column's vector order.</summary>
    public static Dictionary<string, ulong[][]> Expected(Row[] rows)
    {
        var fp = new FixedPoint(8);
        ulong[] Of(Func<Row, ulong> f) => rows.Select(f).ToArray();
        // nullable columns always carry a presence vector, whether or not anything is missing
        ulong[][] WithPresence(ulong[][] body, Func<Row, bool> present) => [.. body, Of(r => present(r) ? 1UL : 0UL)];
        return new()
        {
            ["age"] = [Of(r => (ulong)r.Age)],
            ["benefit"] = WithPresence([Of(r => r.Benefit is { } b ? fp.Encode(b) : 0)], r => r.Benefit is not null),
            ["state"] = States.Select(s => Of(r => r.State == s ? 1UL : 0UL)).ToArray(),
            ["enrolled"] = [Of(r => r.Enrolled ? 1UL : 0UL)],
            ["id"] = [Of(r => r.Id)],
            ["zone"] = WithPresence(new[] { "N", "S" }.Select(z => Of(r => r.Zone == z ? 1UL : 0UL)).ToArray(), r => r.Zone is not null),
        };
    }

    /// <summary>Reveals every vector of <paramref name="table"/> and compares it with the plaintext encoding.</summary>
    public static void AssertMatches(Row[] rows, SecretTable table)
    {
        Assert.Equal(rows.Length, table.RowCount);
        Assert.Equal(Schema.Columns.Select(c => c.Name), table.Columns.Select(c => c.Name));
        foreach (var (name, expected) in Expected(rows))
        {
            var vectors = table[name].Vectors().ToArray();
            Assert.Equal(expected.Length, vectors.Length);
            for (int k = 0; k < expected.Length; k++)
                Assert.Equal(expected[k], table.Engine.Reveal(vectors[k], "test"));
        }
    }
}
