// Linking three or more tables to a base table with multi-pass recall: one two-table join per other table, then the
// pairwise results matched on random row tags.
// Why: the linkage layer's star join (SecureJoin.Run with more than two tables) finishes a base row in the first pass
// that links it to any table, so an inner join drops a veteran whose bank record links on the SSN but whose survey
// record links only on name + date of birth. Joining the base with each other table separately lets every pair use
// every pass.
// Protocol: the base contributor adds a column of fresh random 60-bit tags (secret-shared). For each other table t,
// SecureJoin.Run(base, t) with all passes → R_t (shuffled; tags kept as a payload column). Then SecureJoin.Run links
// R_1 with the other tables' columns of R_2 … R_m on the tag (opened after the shuffle), inner.
// Leakage to the compute parties: per pairwise join, what SecureJoin reveals (each table's row count; per pass the
// shuffled pseudonyms, hence intersection sizes and duplicate patterns); the base table's pass-1 pseudonyms are opened
// once per other table in independent random orders (the same multiset: together they give the Venn diagram of
// base ∩ t1 ∩ t2 on the SSN, as the star join reveals); in the final step the random tags of each pairwise result in
// a random order, hence how many base rows linked to every table — the joined row count. Tags are random, so they
// carry nothing about the base rows. To the analyst: the per-pass counts of each pairwise join and the joined row count,
// each rounded and suppressed under the inputs' terms (Linkage/Join/MatchCountRelease.cs).
// Security: semi-honest, honest majority. Cost: m two-table joins and one (m+1)-table join on one key.
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Linkage;

namespace Smpc.Analytics.Studies;

internal static class PairwiseStarJoin
{
    public const string TagColumn = "__study_row_tag";

    /// <summary>The spec of a column of random row tags (below 2^60: three 58-bit draws sum below it).</summary>
    internal static Columnar.ColumnSpec TagSpec(string name) =>
        new() { Name = name, Kind = Columnar.ColumnKind.Integer, Min = 0, Max = Math.ScaleB(1.0, 60), Description = "random row tag" };

    public static JoinResult Run(IReadOnlyList<JoinInput> inputs, JoinKind kind, IReadOnlyList<LinkagePass> passes, string name)
    {
        var baseInput = inputs[0];
        int baseColumns = baseInput.Table.Columns.Count(c => c.Spec.Kind != ColumnKind.Pseudonym);   // data columns and the tag
        var results = new List<JoinResult>();
        var parts = new List<JoinInput>();
        for (int t = 1; t < inputs.Count; t++)
        {
            var other = inputs[t].Table.Name;
            var pair = SecureJoin.Run([baseInput, inputs[t]], new JoinOptions
            {
                Kind = kind, Passes = passes, MatchedColumn = $"matched_{other}", ResultName = t == 1 ? name : $"{baseInput.Table.Name}_{other}",
            });
            results.Add(pair);
            // The first result keeps the base's columns; the others contribute only their own columns (and the tag).
            var columns = t == 1 ? pair.Table.Columns.ToList() : [pair.Table[TagColumn], .. pair.Table.Columns.Skip(baseColumns)];
            var table = new SecretTable(t == 1 ? name : other, pair.Table.Engine, columns.Select(c => c.Name == TagColumn ? AsKey(c) : c).ToArray());
            parts.Add(new JoinInput(table, DuplicatePolicy.Reject));
        }
        // The final step releases the joined row count under the inputs' terms (rounded, suppressed when small), as a two-table join does.
        var terms = inputs.Where(i => i.Rules is not null).Select(i => i.Rules!).ToArray();
        var tags = SecureJoin.Run(parts, new JoinOptions
        {
            Kind = JoinKind.Inner, Passes = [new LinkagePass("row tag", TagColumn)], ResultName = name,
            MinCellSize = terms.Select(t => t.MinCellSize).DefaultIfEmpty(11).Max(), RoundingBase = terms.Select(t => t.RoundingBase).DefaultIfEmpty(1).Max(),
        });
        return new JoinResult(tags.Table, results.SelectMany(r => r.MatchCounts).ToArray()) { ReleasedRows = tags.ReleasedRows, RoundingBase = tags.RoundingBase };
    }

    /// <summary>The tag column as a join key: the same shares, declared a pseudonym (random, never analysed).</summary>
    static SecretColumn AsKey(SecretColumn tag) => new(tag.Spec with { Kind = ColumnKind.Pseudonym, Min = null, Max = null }, tag.Values);
}
