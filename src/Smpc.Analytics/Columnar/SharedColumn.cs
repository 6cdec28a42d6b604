using Apache.Arrow;
using Smpc.Analytics.Columnar.Arrow;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Columnar;

/// <summary>
/// One compute party's shares of one column: the party-local twin of <see cref="SecretColumn"/>.
/// Numeric, boolean and pseudonym columns are one share vector; a categorical column is one 0/1 vector per
/// domain value (one-hot); a nullable column may add a 0/1 presence vector. Each vector is the party's
/// <see cref="ArithmeticShare"/> (components i and i+1 of a replicated sharing), and each component is
/// visible as an Arrow <see cref="UInt64Array"/> that aliases the share's memory.
/// A categorical column may instead be held compactly as one xor-shared code per row (<see cref="Code"/>, see
/// <see cref="CategoryCode"/>): the form contributors upload and parties store; a missing value is code 0 then, so
/// such a column has no presence vector. The engine expands it to one-hot where a query needs it.
/// </summary>
public sealed class SharedColumn
{
    /// <summary>A categorical column as this party's view of its xor-shared codes (low <see cref="CategoryCode.Bits"/> bits used).</summary>
    public SharedColumn(ColumnSpec spec, int partyId, BooleanShare code)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(code);
        if ((uint)partyId > 2) throw Errors.PartyId(partyId);
        if (spec.Kind != ColumnKind.Categorical) throw new ShapeException($"Column '{spec.Name}' is {spec.Kind}; only categorical columns are held as codes.");
        Spec = spec;
        PartyId = partyId;
        Code = code;
        Length = code.Length;
    }

    public SharedColumn(ColumnSpec spec, int partyId, ArithmeticShare? values, IReadOnlyList<ArithmeticShare>? oneHot = null, ArithmeticShare? present = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if ((uint)partyId > 2) throw Errors.PartyId(partyId);
        Spec = spec;
        PartyId = partyId;
        if (spec.Kind == ColumnKind.Categorical)
        {
            if (values is not null) throw new ShapeException($"Categorical column '{spec.Name}' is shared one-hot; it has no values vector.");
            if (oneHot is null || oneHot.Count != spec.Domain!.Count)
                throw new ShapeException($"Categorical column '{spec.Name}' needs one indicator vector per domain value ({spec.Domain!.Count}); got {oneHot?.Count ?? 0}.");
            Length = oneHot[0].Length;
        }
        else
        {
            if (oneHot is not null) throw new ShapeException($"Column '{spec.Name}' is {spec.Kind}; only categorical columns have indicator vectors.");
            Length = (values ?? throw new ShapeException($"Column '{spec.Name}' has no values.")).Length;
        }
        if (present is not null && !spec.Nullable) throw new ShapeException($"Column '{spec.Name}' is not nullable; it cannot carry a presence vector.");
        Values = values;
        OneHot = oneHot;
        Present = present;
        foreach (var v in Vectors())
            if (v.Length != Length) throw Errors.LengthMismatch($"column '{spec.Name}'", Length, v.Length);
    }

    public ColumnSpec Spec { get; }
    public string Name => Spec.Name;

    /// <summary>The party whose shares these are (components <c>PartyId</c> and <c>PartyId+1 mod 3</c>).</summary>
    public int PartyId { get; }

    public int Length { get; }
    public ArithmeticShare? Values { get; }
    public IReadOnlyList<ArithmeticShare>? OneHot { get; }
    public ArithmeticShare? Present { get; }

    /// <summary>The xor-shared category codes of a compactly held categorical column (then <see cref="OneHot"/> is null).</summary>
    public BooleanShare? Code { get; }

    /// <summary>All share vectors in the order of <see cref="SecretColumn.Vectors"/>: values or one-hot, then presence.</summary>
    public IEnumerable<ArithmeticShare> Vectors()
    {
        if (Values is not null) yield return Values;
        if (OneHot is not null) foreach (var v in OneHot) yield return v;
        if (Present is not null) yield return Present;
    }

    /// <summary>Indices of the two replicated components this party holds: (i, i+1 mod 3).</summary>
    public (int First, int Second) ComponentIndices => (PartyId, (PartyId + 1) % 3);

    /// <summary>The Arrow arrays of one vector's components (zero-copy views of the share).</summary>
    public (UInt64Array First, UInt64Array Second) ToArrow(ArithmeticShare vector) =>
        (ArrowShares.ToArrow(vector.First), ArrowShares.ToArrow(vector.Second));

    /// <summary>Rebuilds a column of the same shape from vectors in the order of <see cref="Vectors"/> (not for a coded column).</summary>
    public SharedColumn WithVectors(IReadOnlyList<ArithmeticShare> vectors) =>
        Code is null ? FromVectors(Spec, PartyId, vectors, Present is not null) : throw new ShapeException($"Column '{Name}' is held as codes, not vectors.");

    /// <summary>Builds a column from vectors in the order of <see cref="Vectors"/>.</summary>
    public static SharedColumn FromVectors(ColumnSpec spec, int partyId, IReadOnlyList<ArithmeticShare> vectors, bool hasPresent)
    {
        int body = spec.Kind == ColumnKind.Categorical ? spec.Domain!.Count : 1;
        if (vectors.Count != body + (hasPresent ? 1 : 0))
            throw new ShapeException($"Column '{spec.Name}' needs {body + (hasPresent ? 1 : 0)} share vectors; got {vectors.Count}.");
        var present = hasPresent ? vectors[body] : null;
        return spec.Kind == ColumnKind.Categorical
            ? new SharedColumn(spec, partyId, null, vectors.Take(body).ToArray(), present)
            : new SharedColumn(spec, partyId, vectors[0], null, present);
    }
}
