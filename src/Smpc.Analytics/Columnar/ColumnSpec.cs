using System.Text.Json.Serialization;

namespace Smpc.Analytics.Columnar;

/// <summary>How a column's values are encoded into Z_2^64.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ColumnKind>))]
public enum ColumnKind
{
    /// <summary>Signed integers, encoded as themselves.</summary>
    Integer,
    /// <summary>Signed reals scaled by 2^FractionBits.</summary>
    FixedPoint,
    /// <summary>One value of a declared domain; one-hot in the engine (one 0/1 vector per domain value), stored as one
    /// xor-shared code per row (<see cref="CategoryCode"/>) and expanded where a query needs it.</summary>
    Categorical,
    /// <summary>true/false, shared as 0/1.</summary>
    Boolean,
    /// <summary>A pseudonymised join key (64-bit pseudonym); only equality after an oblivious shuffle is meaningful.</summary>
    Pseudonym,
}

/// <summary>
/// A column of a study schema: its name, kind and the public facts the computation may rely on
/// (declared value bounds, the categorical domain). Bounds are checked by the contributor before sharing
/// and used by the engine to refuse operations that could overflow.
/// </summary>
public sealed record ColumnSpec
{
    public required string Name { get; init; }
    public required ColumnKind Kind { get; init; }

    /// <summary>Fraction bits for <see cref="ColumnKind.FixedPoint"/> (default 16).</summary>
    public int FractionBits { get; set; } = 16;   // settable: see TableSchema.Identifiers

    /// <summary>Declared inclusive lower bound (Integer, FixedPoint).</summary>
    public double? Min { get; init; }

    /// <summary>Declared inclusive upper bound (Integer, FixedPoint).</summary>
    public double? Max { get; init; }

    /// <summary>Allowed values of a categorical column, in a fixed order.</summary>
    public IReadOnlyList<string>? Domain { get; init; }

    /// <summary>Whether the value may be missing (missing values are shared as 0 with a 0/1 "present" indicator).</summary>
    public bool Nullable { get; init; }

    public string? Description { get; init; }

    [JsonIgnore] public bool IsNumeric => Kind is ColumnKind.Integer or ColumnKind.FixedPoint or ColumnKind.Boolean;

    /// <summary>Fraction bits of the encoding (0 for all kinds but fixed point).</summary>
    [JsonIgnore] public int Scale => Kind == ColumnKind.FixedPoint ? FractionBits : 0;

    /// <summary>Largest magnitude a value may have, from the declared bounds (∞ if undeclared).</summary>
    [JsonIgnore] public double Magnitude => Kind switch
    {
        ColumnKind.Boolean => 1,
        ColumnKind.Categorical => 1,
        _ => Min is { } lo && Max is { } hi ? Math.Max(Math.Abs(lo), Math.Abs(hi)) : double.PositiveInfinity,
    };

    /// <summary>Checks the spec itself; returns problems in words (empty when valid).</summary>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Name)) yield return "a column has no name";
        if (Kind == ColumnKind.FixedPoint && FractionBits is < 0 or > 30) yield return $"column '{Name}': fraction bits must be 0..30, not {FractionBits}";
        if (Kind == ColumnKind.Categorical && (Domain is null || Domain.Count == 0)) yield return $"column '{Name}': a categorical column needs a declared domain";
        if (Kind == ColumnKind.Categorical && Domain is not null && Domain.Distinct().Count() != Domain.Count) yield return $"column '{Name}': the domain lists a value twice";
        if (Kind is ColumnKind.Integer or ColumnKind.FixedPoint)
        {
            if (Min is null || Max is null) yield return $"column '{Name}': numeric columns need declared bounds (min and max)";
            else if (Min > Max) yield return $"column '{Name}': min {Min} is above max {Max}";
            else if (Kind == ColumnKind.FixedPoint && Magnitude >= Math.ScaleB(1.0, 62 - FractionBits))
                yield return $"column '{Name}': bounds ±{Magnitude:G6} exceed the fixed-point range ±2^{62 - FractionBits} for {FractionBits} fraction bits";
        }
    }
}
