// Joins whose disclosed counts a party held for a steward's review (PartyStudyHost.HeldForReview), kept by each party
// for its study's life. The joined secret table stays at the parties — it is not disclosed, and later queries need it —
// but a count on it would disclose the joined rows the review holds, and a query on it reveals what the review is
// about. So whatever is later released from a held join (an aggregate on it, a further join with it) is held for the
// same stewards' review, whatever the operations their terms list. The parties do not learn the stewards' decisions:
// a rejected join's table is still queried only under review.
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Studies.Parties;

internal sealed class HeldJoins
{
    readonly Dictionary<string, List<DataUseTerms>> _joins = new(StringComparer.Ordinal);
    readonly HashSet<string> _posted = new(StringComparer.Ordinal);

    /// <summary>Records that the join into <paramref name="dataset"/> was held for <paramref name="reviewing"/>'s review.</summary>
    public void Hold(string dataset, IEnumerable<DataUseTerms> reviewing)
    {
        if (!_joins.TryGetValue(dataset, out var terms)) _joins[dataset] = terms = [];
        terms.AddRange(reviewing.Where(t => !terms.Any(k => k.Dataset == t.Dataset)));
    }

    /// <summary>The terms whose stewards review whatever is released from <paramref name="dataset"/> because it is a held join.</summary>
    public IReadOnlyList<DataUseTerms> Reviewing(string dataset) => _joins.TryGetValue(dataset, out var terms) ? terms : [];

    /// <summary>Whether this party already posted review <paramref name="reviewId"/> (a join asked again with the same key).</summary>
    public bool Posted(string reviewId) => _posted.Contains(reviewId);

    public void Post(string reviewId) => _posted.Add(reviewId);
}
