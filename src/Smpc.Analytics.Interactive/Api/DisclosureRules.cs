using Smpc.Analytics.Study;

namespace Smpc.Analytics.Interactive.Api;

/// <summary>The disclosure-control rules a release must pass, taken from the data-use terms of every
/// dataset that contributed rows (the strictest rule wins).</summary>
public sealed record DisclosureRules(int MinCellSize)
{
    public static DisclosureRules From(IEnumerable<DataUseTerms> terms)
    {
        int k = 1;
        foreach (var t in terms) k = Math.Max(k, t.MinCellSize);
        return new DisclosureRules(k);
    }
}
