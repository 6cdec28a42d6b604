// Interim exact join on contributor-side keyed-hash pseudonyms (the notebook layer's stand-in until the
// Linkage layer lands behind ISecureJoiner).
// Computes: inner join of two secret tables on a Pseudonym column; every matching pair of rows is one output
// row; payload columns stay secret-shared (rows are moved by public indices after the shuffle).
// Reference: the classic PPRL keyed-hash linkage (Schnell et al. 2009 use HMACs of identifiers) combined with
// "shuffle, then open the pseudonyms" from DESIGN.md §4 (Join); shuffle per Laur, Willemson & Zhang, ISC 2011, §4.
// Security: semi-honest, honest majority. Contributors share the HMAC key; compute parties never hold it.
// Leakage (to the compute parties only): each table's row count, the equality pattern of the shuffled
// pseudonyms (so the intersection size, the duplicate pattern and the number of rows with a missing key);
// nothing about which original row matched. Nothing is revealed to the analyst but the three row counts.
// Cost: two oblivious shuffles (3 rounds each), one opening of n_left + n_right words (1 round), local gathers.
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Interactive.Api;

namespace Smpc.Analytics.Interactive.Interim;

public sealed class KeyedHashJoiner : ISecureJoiner
{
    public const string MethodName = "keyed-hash pseudonyms, shuffle then open (interim)";

    public JoinOutcome Join(SecretTable left, SecretTable right, string key, string resultName)
    {
        CheckKey(left, key);
        CheckKey(right, key);
        if (!ReferenceEquals(left.Engine, right.Engine)) throw new QueryException($"'{left.Name}' and '{right.Name}' are held by different engines.");
        var engine = left.Engine;

        var ls = left.Shuffle();
        var rs = right.Shuffle();
        var lk = engine.RevealToParties(ls[key].Values!, $"join {left.Name} ⋈ {right.Name}: shuffled pseudonyms of {left.Name}.{key}");
        var rk = engine.RevealToParties(rs[key].Values!, $"join {left.Name} ⋈ {right.Name}: shuffled pseudonyms of {right.Name}.{key}");

        // Compute-party side: match opened pseudonyms (0 = missing key, never matches).
        var byKey = new Dictionary<ulong, List<int>>();
        for (int j = 0; j < rk.Length; j++)
            if (rk[j] != 0) (byKey.TryGetValue(rk[j], out var list) ? list : byKey[rk[j]] = []).Add(j);
        var li = new List<int>(); var ri = new List<int>();
        for (int i = 0; i < lk.Length; i++)
            if (lk[i] != 0 && byKey.TryGetValue(lk[i], out var matches))
                foreach (int j in matches) { li.Add(i); ri.Add(j); }

        var lt = ls.Gather(li.ToArray());
        var rt = rs.Gather(ri.ToArray());
        var columns = new List<SecretColumn>(lt.Columns);
        foreach (var c in rt.Columns)
        {
            if (c.Name == key) continue;
            string name = lt.Has(c.Name) ? $"{right.Name}.{c.Name}" : c.Name;
            columns.Add(name == c.Name ? c : new SecretColumn(c.Spec with { Name = name }, c.Values, c.OneHot, c.Present));
        }
        return new JoinOutcome(new SecretTable(resultName, engine, columns), left.RowCount, right.RowCount, li.Count, MethodName);
    }

    static void CheckKey(SecretTable t, string key)
    {
        if (!t.Has(key)) throw new QueryException($"Unknown column '{key}' in dataset '{t.Name}'. Columns: {string.Join(", ", t.Columns.Select(c => c.Name))}.");
        if (t[key].Spec.Kind != ColumnKind.Pseudonym)
            throw new QueryException($"Column '{t.Name}.{key}' is {t[key].Spec.Kind.ToString().ToLowerInvariant()}; a join key must be a pseudonym column.");
    }
}
