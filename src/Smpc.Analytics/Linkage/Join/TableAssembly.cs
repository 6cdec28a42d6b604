// Row operations on whole secret tables used by the join: concatenation, a trailing all-zero row (the "no match"
// row of a left join), and choosing between two rows by a secret bit. Gather and concatenation are local; the
// selection costs one multiplication round for all columns together.
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Linkage;

static class TableAssembly
{
    /// <summary>All vectors of a table, in column order (values/one-hot, then presence).</summary>
    public static List<SecretVector> Vectors(SecretTable t) => t.Columns.SelectMany(c => c.Vectors()).ToList();

    /// <summary>A table with the layout of <paramref name="template"/> built from vectors in <see cref="Vectors"/> order.</summary>
    public static SecretTable FromVectors(SecretTable template, IReadOnlyList<SecretVector> vectors, string? name = null)
    {
        int k = 0;
        var columns = new List<SecretColumn>();
        foreach (var c in template.Columns)
        {
            int count = c.Vectors().Count();
            columns.Add(c.WithVectors(vectors.Skip(k).Take(count).ToArray()));
            k += count;
        }
        return new SecretTable(name ?? template.Name, template.Engine, columns);
    }

    /// <summary>Rows of the parts one after another (all parts have the same layout).</summary>
    public static SecretTable Concat(IReadOnlyList<SecretTable> parts, string? name = null)
    {
        if (parts.Count == 1) return name is null ? parts[0] : parts[0].Rename(name);
        var engine = parts[0].Engine;
        var vectors = parts.Select(Vectors).ToList();
        var joined = Enumerable.Range(0, vectors[0].Count).Select(v => engine.Concat(vectors.Select(p => p[v]).ToArray())).ToArray();
        return FromVectors(parts[0], joined, name);
    }

    /// <summary>The table with one more row, all zeros (a public constant; values, one-hot and presence alike).</summary>
    public static SecretTable WithZeroRow(SecretTable t)
    {
        var zero = t.Engine.Public([0UL]);
        return FromVectors(t, Vectors(t).Select(v => t.Engine.Concat([v, zero])).ToArray());
    }

    /// <summary>
    /// Row-wise choice: output row k is row a[k] where keepA[k] = 1, else row b[k], computed as b + keepA·(a − b)
    /// for every vector in one multiplication (all columns concatenated), so the choice stays secret.
    /// </summary>
    public static SecretTable Select(SecretTable t, int[] a, int[] b, SecretVector keepA)
    {
        var engine = t.Engine;
        var vectors = Vectors(t);
        int p = a.Length;
        var av = vectors.Select(v => engine.Gather(v, a)).ToArray();
        var bv = vectors.Select(v => engine.Gather(v, b)).ToArray();
        var diffs = engine.Concat(av.Zip(bv, engine.Subtract).ToArray());
        var bits = engine.Concat(Enumerable.Repeat(keepA, vectors.Count).ToArray());
        var product = engine.Multiply(diffs, bits);
        var chosen = new SecretVector[vectors.Count];
        for (int v = 0; v < vectors.Count; v++)
            chosen[v] = engine.Add(bv[v], engine.Gather(product, Enumerable.Range(v * p, p).ToArray()));
        return FromVectors(t, chosen);
    }
}
