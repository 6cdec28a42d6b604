namespace Smpc.Analytics.Columnar;

/// <summary>
/// Structural comparison of two table schemas: column names and order, kinds, fraction bits, bounds,
/// domains (values and order) and nullability. Descriptions and the schema's own name are ignored.
/// </summary>
public static class SchemaDiff
{
    /// <summary>Every difference in words, or none when the schemas describe the same data.</summary>
    public static IReadOnlyList<string> Differences(TableSchema expected, TableSchema actual)
    {
        var problems = new List<string>();
        var expectedNames = expected.Columns.Select(c => c.Name).ToList();
        var actualNames = actual.Columns.Select(c => c.Name).ToList();
        var missing = expectedNames.Except(actualNames, StringComparer.Ordinal).ToList();
        var extra = actualNames.Except(expectedNames, StringComparer.Ordinal).ToList();
        if (missing.Count > 0) problems.Add($"missing column(s) {Quote(missing)}");
        if (extra.Count > 0) problems.Add($"undeclared column(s) {Quote(extra)}");
        if (missing.Count == 0 && extra.Count == 0 && !expectedNames.SequenceEqual(actualNames, StringComparer.Ordinal))
            problems.Add($"columns in order {Quote(actualNames)} instead of {Quote(expectedNames)}");
        foreach (var e in expected.Columns)
        {
            var a = actual.Columns.FirstOrDefault(c => c.Name == e.Name);
            if (a is not null) problems.AddRange(Differences(e, a));
        }
        return problems;
    }

    /// <summary>Differences between two specs of the same column.</summary>
    public static IEnumerable<string> Differences(ColumnSpec e, ColumnSpec a)
    {
        string c = $"column '{e.Name}'";
        if (e.Kind != a.Kind) { yield return $"{c} is {a.Kind}, expected {e.Kind}"; yield break; }
        if (e.Kind == ColumnKind.FixedPoint && e.FractionBits != a.FractionBits) yield return $"{c} has {a.FractionBits} fraction bits, expected {e.FractionBits}";
        if (e.Min != a.Min || e.Max != a.Max) yield return $"{c} declares range [{a.Min}, {a.Max}], expected [{e.Min}, {e.Max}]";
        if (e.Kind == ColumnKind.Categorical && !(e.Domain ?? []).SequenceEqual(a.Domain ?? [], StringComparer.Ordinal))
            yield return $"{c} has domain ({string.Join(", ", a.Domain ?? [])}), expected ({string.Join(", ", e.Domain ?? [])})";
        if (e.Nullable != a.Nullable) yield return $"{c} is {(a.Nullable ? "" : "not ")}nullable, expected {(e.Nullable ? "" : "not ")}nullable";
    }

    static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}
