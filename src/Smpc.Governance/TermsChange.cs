namespace Smpc.Governance;

/// <summary>One changed field between two terms versions, by its JSON path (e.g. <c>redisclosure.internalUseOnly</c>).
/// For lists, <see cref="Added"/> and <see cref="Removed"/> name the elements; for other values, <see cref="Before"/>
/// and <see cref="After"/> hold the JSON text (null: absent).</summary>
public sealed record TermsChange(string Field, string? Before, string? After, IReadOnlyList<string> Added, IReadOnlyList<string> Removed)
{
    public override string ToString() => Added.Count + Removed.Count > 0
        ? $"{Field}: " + string.Join(", ", Added.Select(a => "+" + a).Concat(Removed.Select(r => "-" + r)))
        : $"{Field}: {Before ?? "(absent)"} -> {After ?? "(absent)"}";
}
