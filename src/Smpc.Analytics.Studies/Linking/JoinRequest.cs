using Smpc.Analytics.Linkage;

namespace Smpc.Analytics.Studies;

/// <summary>
/// A linkage of two or more contributed datasets (the arguments of <c>#!secure-join</c>). The first dataset is the
/// base; every other is linked to it pass by pass (SSN first, then name + date of birth (+ sex) for the rows the SSN
/// pass left unlinked, by default).
/// </summary>
public sealed record JoinRequest
{
    /// <summary>Contributed datasets to link, base first (at least two).</summary>
    public required IReadOnlyList<string> Datasets { get; init; }

    /// <summary>Linkage passes in order.</summary>
    public IReadOnlyList<LinkageKeyKind> Passes { get; init; } = [LinkageKeyKind.Ssn, LinkageKeyKind.Demographic];

    public JoinKind Kind { get; init; } = JoinKind.Inner;

    /// <summary>The Dice coefficient a fuzzy pass needs (above 0, at most 1); null: <see cref="DefaultFuzzyThreshold"/>.
    /// Only with a <see cref="LinkageKeyKind.Fuzzy"/> pass.</summary>
    public double? FuzzyThreshold { get; init; }

    public const double DefaultFuzzyThreshold = 0.85;

    public PseudonymiserKind Pseudonymiser { get; init; } = PseudonymiserKind.KeyedHash;

    /// <summary>Several rows of one dataset with the same key in a pass: keep the first (default) or refuse the join.</summary>
    public DuplicatePolicy Duplicates { get; init; } = DuplicatePolicy.KeepFirst;

    /// <summary>Name of the joined dataset (default: the dataset names joined by '_').</summary>
    public string? Name { get; init; }

    public string ResultName => Name ?? string.Join("_", Datasets);

    /// <summary>Whether <paramref name="other"/> asks for the same linkage under the same name (then the study answers it
    /// with the earlier join instead of linking again: nothing new is computed or revealed).</summary>
    public bool SameAs(JoinRequest other) =>
        other is not null && ResultName == other.ResultName && Datasets.SequenceEqual(other.Datasets) && Passes.SequenceEqual(other.Passes)
        && Kind == other.Kind && FuzzyThreshold == other.FuzzyThreshold && Pseudonymiser == other.Pseudonymiser && Duplicates == other.Duplicates;

    public string Describe() =>
        $"{string.Join(" ⋈ ", Datasets)} ({Kind.ToString().ToLowerInvariant()}; passes {string.Join(", ", Passes.Select(p => p.Name()))}{(Passes.Contains(LinkageKeyKind.Fuzzy) ? $" (Dice ≥ {FuzzyThreshold ?? DefaultFuzzyThreshold})" : "")}; {Pseudonymiser.Name()}; duplicates {Duplicates})";
}
