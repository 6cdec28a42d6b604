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
        _oneHot = oneHot;
        _present = present;
        foreach (var v in (oneHot ?? []).Append(present))
            if (v is not null && v.Length != Length) throw Errors.LengthMismatch($"column '{spec.Name}'", Length, v.Length);
    }

    /// <summary>A categorical column whose one-hot vectors (and presence, if nullable) are computed on first use by
    /// <paramref name="expand"/> and then kept: a stored column expanded at the parties only when a query needs it
    /// (<see cref="CategoryCode"/>). The expansion is interactive, so the first use must come at the same point of
    /// the program at the three parties (any use after the parties agreed on a request does).</summary>
    /// <param name="stored">Optionally, the stored xor-shared codes the expansion starts from (see <see cref="PendingStoredCode"/>).</param>
    public SecretColumn(ColumnSpec spec, int length, Func<(IReadOnlyList<SecretVector> OneHot, SecretVector? Present)> expand, StoredCode? stored = null)
    {
        if (spec.Kind != ColumnKind.Categorical) throw new ShapeException($"Only a categorical column is expanded on use; '{spec.Name}' is {spec.Kind}.");
        Spec = spec;
        Length = length;
        _expand = expand ?? throw new ArgumentNullException(nameof(expand));
        _stored = stored;
    }

    readonly StoredCode? _stored;

    /// <summary>While the one-hot expansion is still pending: the party's view of the stored xor-shared codes it would
    /// start from (a join converts them to arithmetic codes, all columns at once, instead of expanding: PartyEngine.CodesOf);
    /// null once expanded or for a column not built from stored codes.</summary>
    public StoredCode? PendingStoredCode { get { lock (_gate) return _expand is not null ? _stored : null; } }

    readonly Lock _gate = new();
    Func<(IReadOnlyList<SecretVector> OneHot, SecretVector? Present)>? _expand;
    IReadOnlyList<SecretVector>? _oneHot;
    SecretVector? _present;

    public ColumnSpec Spec { get; }
    public string Name => Spec.Name;
    public int Length { get; }

    /// <summary>The encoded values (null for categorical columns).</summary>
    public SecretVector? Values { get; }

    /// <summary>One 0/1 indicator vector per domain value (categorical columns only; computed on first use for a
    /// column built with an expansion).</summary>
    public IReadOnlyList<SecretVector>? OneHot { get { Expand(); return _oneHot; } }

    /// <summary>0/1 "value present" indicator; every nullable column has one (null for non-nullable columns).</summary>
    public SecretVector? Present { get { Expand(); return _present; } }

    /// <summary>Whether the one-hot vectors still wait for their first use.</summary>
    public bool IsExpansionPending { get { lock (_gate) return _expand is not null; } }

    /// <summary>This column with any pending expansion done.</summary>
    public SecretColumn Expanded()
    {
        Expand();
        return this;
    }

    void Expand()
    {
        lock (_gate)
        {
            if (_expand is null) return;
            var (oneHot, present) = _expand();
            if (oneHot.Count != Spec.Domain!.Count) throw new ShapeException($"Categorical column '{Name}' expanded to {oneHot.Count} indicator vectors for {Spec.Domain!.Count} domain values.");
            foreach (var v in oneHot.Append(present))
                if (v is not null && v.Length != Length) throw Errors.LengthMismatch($"column '{Name}'", Length, v.Length);
            (_oneHot, _present, _expand) = (oneHot, present, null);
        }
    }

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
