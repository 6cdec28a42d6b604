using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Columnar;

/// <summary>
/// A secret column as the analyst side sees it: its public spec and engine handles. Numeric, boolean and
/// pseudonym columns are one vector; a categorical column is one 0/1 vector per domain value (one-hot),
/// so group sums are dot products and group sizes stay hidden. Nullable columns always carry a 0/1
/// <see cref="Present"/> vector (missing values are shared as 0), whether or not any value is missing.
/// </summary>
public sealed class SecretColumn
{
    public SecretColumn(ColumnSpec spec, SecretVector? values, IReadOnlyList<SecretVector>? oneHot = null, SecretVector? present = null)
    {
        Spec = spec;
        if (spec.Kind == ColumnKind.Categorical)
        {
            if (oneHot is null || oneHot.Count != spec.Domain!.Count) throw new ShapeException($"Categorical column '{spec.Name}' needs one indicator vector per domain value ({spec.Domain!.Count}).");
            Length = oneHot[0].Length;
        }
        else
        {
            Length = (values ?? throw new ShapeException($"Column '{spec.Name}' has no values.")).Length;
        }
        Values = values;
        OneHot = oneHot;
        Present = present;
        foreach (var v in (oneHot ?? []).Append(present))
            if (v is not null && v.Length != Length) throw Errors.LengthMismatch($"column '{spec.Name}'", Length, v.Length);
    }

    public ColumnSpec Spec { get; }
    public string Name => Spec.Name;
    public int Length { get; }

    /// <summary>The encoded values (null for categorical columns).</summary>
    public SecretVector? Values { get; }

    /// <summary>One 0/1 indicator vector per domain value (categorical columns only).</summary>
    public IReadOnlyList<SecretVector>? OneHot { get; }

    /// <summary>0/1 "value present" indicator; every nullable column has one (null for non-nullable columns).</summary>
    public SecretVector? Present { get; }

    /// <summary>The values vector, or an error naming the column if it is categorical.</summary>
    public SecretVector RequireValues(string operation) =>
        Values ?? throw new SchemaException($"{operation} needs a numeric column; '{Name}' is {Spec.Kind.ToString().ToLowerInvariant()}.");

    /// <summary>The indicator vector of one category, or an error naming the unknown value.</summary>
    public SecretVector Indicator(string category)
    {
        if (OneHot is null) throw new SchemaException($"Column '{Name}' is not categorical; it has no category '{category}'.");
        int k = Spec.Domain!.ToList().IndexOf(category);
        if (k < 0) throw new SchemaException($"'{category}' is not in the declared domain of '{Name}' ({string.Join(", ", Spec.Domain!)}).");
        return OneHot[k];
    }

    /// <summary>Applies the same row operation to every vector of the column (gather, shuffle output, …).</summary>
    public SecretColumn Map(Func<SecretVector, SecretVector> f) =>
        new(Spec, Values is null ? null : f(Values), OneHot?.Select(f).ToArray(), Present is null ? null : f(Present));

    /// <summary>All vectors of this column, in a fixed order (values or one-hot, then presence).</summary>
    public IEnumerable<SecretVector> Vectors()
    {
        if (Values is not null) yield return Values;
        if (OneHot is not null) foreach (var v in OneHot) yield return v;
        if (Present is not null) yield return Present;
    }

    /// <summary>Rebuilds a column from vectors in the order of <see cref="Vectors"/>.</summary>
    public SecretColumn WithVectors(IReadOnlyList<SecretVector> vectors)
    {
        int k = 0;
        var values = Values is null ? null : vectors[k++];
        var oneHot = OneHot is null ? null : vectors.Skip(k).Take(OneHot.Count).ToArray();
        k += OneHot?.Count ?? 0;
        var present = Present is null ? null : vectors[k];
        return new SecretColumn(Spec, values, oneHot, present);
    }
}
