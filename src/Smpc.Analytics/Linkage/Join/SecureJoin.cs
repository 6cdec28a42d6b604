// Secure join on pseudonymised keys ("shuffle, then open"), over any IComputeEngine.
// References: the shuffle-then-reveal join of Laur, Talviste & Willemson, "From oblivious AES to efficient and
// secure database join in the multiparty setting" (ACNS 2013), §5; Mohassel, Rindal & Rosulek, "Fast database
// joins and PSI for secret shared data" (CCS 2020), §1 — there for keys under a PRF, here under a keyed hash or
// threshold OPRF applied by the contributors before sharing.
//
// Protocol (base table T0, other tables T1..Tm; "star" linkage: each Ti is linked to T0):
//  1. Every table is obliviously shuffled (SecretTable.Shuffle) — together with its secret original row numbers
//     when its duplicate policy is KeepFirst — before any pseudonym is opened.
//  2. Pass p: the pass's pseudonym column of every shuffled table is opened to the three compute parties
//     (RevealToParties). Duplicates inside one table are rejected or reduced obliviously to the first row
//     (ObliviousDeduplication). Matching is a hash join on the opened values, run identically by each party.
//  3. Base rows linked in pass p (inner: to every other table; left: to any) are gathered with their partners'
//     rows by public indices (local, no communication); payload columns stay secret-shared throughout. A left
//     join adds a 0/1 matched column per other table and zero payloads for the missing partner; every column of
//     another table carries a presence vector, 0 where the partner is missing (JoinLayout), so statistics count only
//     the rows that hold its values. That presence is the matched flag (times the column's own presence): nothing new
//     to the parties, who know which rows matched.
//  4. Rows no table linked (base) and rows nobody linked to (others) go to pass p+1: gathered and shuffled afresh,
//     so a row's pass-(p+1) pseudonym cannot be tied to its pass-p pseudonym. Base rows linked to some but not all
//     tables stop after that pass.
//  5. The joined table is shuffled again (JoinOptions.ShuffleResult), all pseudonym columns and row numbers are
//     dropped, and per-pass match counts are released to the analyst subject to the minimum cell size.
//  Categorical columns travel through steps 1–5 as one code per row (k + 1 for level k, 0 for none) instead of one
//  indicator vector per level, and get their indicators back on the joined rows only (AsCodes, FromCodes,
//  Protocols/CategoryIndex.cs): the shuffles move a few vectors per table instead of one per level.
//
// Leakage to the compute parties (each one; see LEAKAGE.md "Linkage"):
//  * every table's row count, and for each pass the multiset of pseudonyms of the rows still in play, in a
//    random order: hence the sizes of all pairwise and higher intersections among the tables (a Venn diagram of
//    pseudonyms, e.g. |T0∩T1|, |T0∩T2|, |T0∩T1∩T2| on the same key), the number of unmatched rows per table,
//    and the duplicate pattern (how many keys occur 2, 3, … times in one table);
//  * pass p+1 reveals these counts again for the leftover rows only, unlinkable to their pass-p pseudonyms;
//  * never which original row holds a pseudonym, never a payload, never which duplicate row was kept.
// Pseudonyms of unmatched rows are opened too: they are pseudorandom without the key (keyed hash) or without all
// three parties (OPRF), but a party seeing the same study's pseudonyms twice can link them; use fresh keys per study.
// Leakage to the analyst: the joined row count and the per-pass counts, each rounded to the inputs' largest rounding
// base and suppressed below their largest minimum cell size (MatchCountRelease), and in an error the number of
// duplicate keys under the Reject policy. (The analyst-side handles know the table's length, as every engine handle
// does; what the study layer, the reports and the notebooks show is the released value.) Security: semi-honest, honest majority (as the engine).
// Cost: one shuffle per table per pass (3 rounds), one opening per table per pass (1 round), KeepFirst adds
// ⌈log2 group⌉ comparisons; gathering is local; the categorical columns' indicators on the joined rows: one A2B and
// one category expansion per code width (⌈log2 64⌉ + 1, then ⌈log2 bits⌉ + 2 rounds each). Rounds do not depend on
// the row count.
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Linkage;

/// <summary>Links secret-shared tables on pseudonym columns without revealing which rows matched.</summary>
public static class SecureJoin
{
    /// <summary>Column carrying secret original row numbers for the KeepFirst policy (reserved name).</summary>
    internal const string RowColumn = "__linkage_row";

    /// <summary>Inner join of two tables, one pass per <paramref name="passes"/> in order.</summary>
    public static JoinResult Inner(JoinInput left, JoinInput right, params LinkagePass[] passes) =>
        Run([left, right], new JoinOptions { Kind = JoinKind.Inner, Passes = passes });

    /// <summary>Left join of two tables (every row of <paramref name="left"/>, with a 0/1 "matched" column).</summary>
    public static JoinResult Left(JoinInput left, JoinInput right, params LinkagePass[] passes) =>
        Run([left, right], new JoinOptions { Kind = JoinKind.Left, Passes = passes });

    /// <summary>The joined table's columns for tables with these data columns (pseudonyms left out), named as
    /// <see cref="Run"/> names them — known before anything is linked; a clash throws as Run would.</summary>
    public static IReadOnlyList<string> ColumnNames(IReadOnlyList<(string Table, IReadOnlyList<string> Columns)> tables, JoinKind kind, string matchedColumn = "matched")
    {
        var (names, matched) = JoinLayout.Assign([.. tables.Select(t => (t.Table, (IEnumerable<string>)t.Columns))], kind, matchedColumn);
        return [.. names.SelectMany(n => n.Values), .. matched.OfType<string>()];
    }

    /// <summary>Links <paramref name="inputs"/>[1..] to the base table <paramref name="inputs"/>[0] pass by pass.</summary>
    public static JoinResult Run(IReadOnlyList<JoinInput> inputs, JoinOptions options)
    {
        var engine = JoinValidation.Check(inputs, options);
        var layout = new JoinLayout(inputs, options);           // output names, checked before any work
        int n = inputs.Count;
        var passes = options.Passes;

        var keyColumns = passes.SelectMany(pass => pass.Columns).ToHashSet(StringComparer.Ordinal);
        var categories = new Dictionary<(int Table, string Column), ColumnSpec>();
        OperationProgress.Report($"linking {string.Join(" ⋈ ", inputs.Select(i => i.Table.Name))}: shuffling {string.Join(" and ", inputs.Select(i => i.Table.RowCount.ToString("N0")))} rows");
        var current = inputs.Select((i, t) => Shuffled(AsCodes(engine, Prepared(engine, i, keyColumns), t, categories))).ToArray();
        var segments = new List<SecretTable>();
        var counts = new List<(string Pass, string Table, long Count)>();

        int p = 0;
        for (; p < passes.Count && current[0].RowCount > 0; p++)
        {
            bool last = p == passes.Count - 1;
            OperationProgress.Report($"linkage pass '{passes[p].Name}' ({p + 1} of {passes.Count}): opening pseudonyms to the parties and matching");
            int baseRows = current[0].RowCount;
            var match = new int[n][];
            if (current.Skip(1).All(t => t.RowCount == 0))
            {
                // Nothing left to link to: no pseudonym needs opening.
                for (int t = 1; t < n; t++) { match[t] = Enumerable.Repeat(-1, baseRows).ToArray(); counts.Add((passes[p].Name, inputs[t].Table.Name, 0)); }
            }
            else if (passes[p].Fuzzy is { } fuzzy)
            {
                for (int t = 1; t < n; t++)
                {
                    match[t] = FuzzyMatch(engine, current[0], current[t], passes[p], fuzzy);
                    counts.Add((passes[p].Name, inputs[t].Table.Name, match[t].Count(j => j >= 0)));
                }
            }
            else
            {
                var keys = new ulong[n][];
                for (int t = 0; t < n; t++) (current[t], keys[t]) = OpenKeys(engine, current[t], passes[p], inputs[t].Duplicates);
                baseRows = current[0].RowCount;
                for (int t = 1; t < n; t++)
                {
                    match[t] = KeyMatching.ToBase(keys[0], keys[t]);
                    counts.Add((passes[p].Name, inputs[t].Table.Name, match[t].Count(j => j >= 0)));
                }
            }

            // Base rows linked to any / every other table in this pass.
            var linkedToAny = new bool[baseRows];
            var linkedToAll = new bool[baseRows];
            for (int i = 0; i < baseRows; i++)
            {
                bool any = false, all = true;
                for (int t = 1; t < n; t++) { bool m = match[t][i] >= 0; any |= m; all &= m; }
                linkedToAny[i] = any;
                linkedToAll[i] = all;
            }
            var finished = Enumerable.Range(0, baseRows)
                .Where(i => options.Kind == JoinKind.Inner ? linkedToAll[i] : linkedToAny[i] || last).ToArray();
            if (finished.Length > 0) segments.Add(Segment(engine, current, match, finished, layout));

            if (!last)
            {
                current[0] = Shuffled(current[0].Gather(Enumerable.Range(0, baseRows).Where(i => !linkedToAny[i]).ToArray()));
                for (int t = 1; t < n; t++)
                    current[t] = Shuffled(current[t].Gather(KeyMatching.Unmatched(current[t].RowCount, match[t])));
            }
        }

        for (; p < passes.Count; p++)                             // the base table ran out of rows: nothing more to link
            for (int t = 1; t < n; t++) counts.Add((passes[p].Name, inputs[t].Table.Name, 0));

        Array.Clear(current);                                   // the shuffled inputs are no longer needed: let the GC reclaim them
        var result = segments.Count == 0 ? layout.Empty(engine) : TableAssembly.Concat(segments, layout.Name);
        if (options.ShuffleResult) result = Shuffled(result);
        result = FromCodes(engine, result, layout, categories);
        int minCell = options.MinCellSize ?? inputs.Where(i => i.Rules is not null).Select(i => i.Rules!.MinCellSize).DefaultIfEmpty(11).Max();
        int roundingBase = options.RoundingBase ?? inputs.Where(i => i.Rules is not null).Select(i => i.Rules!.RoundingBase).DefaultIfEmpty(1).Max();
        var (released, rows) = MatchCountRelease.Release(engine, counts, result.RowCount, minCell, roundingBase);
        return new JoinResult(result, released) { ReleasedRows = rows, RoundingBase = roundingBase };
    }

    static SecretTable Shuffled(SecretTable t) => t.RowCount > 1 ? t.Shuffle() : t;

    /// <summary>
    /// The columns that take part: payload and this join's key columns (other pseudonym columns are left out — they are
    /// of no statistical use and would only add linkable values), plus the secret original row numbers KeepFirst
    /// needs (a public 0..n−1 that the shuffle then hides).
    /// </summary>
    static SecretTable Prepared(IComputeEngine engine, JoinInput input, HashSet<string> keyColumns)
    {
        var t = input.Table;
        if (t.Columns.Any(c => c.Spec.Kind == ColumnKind.Pseudonym && !keyColumns.Contains(c.Name)))
            t = new SecretTable(t.Name, engine, t.Columns.Where(c => c.Spec.Kind != ColumnKind.Pseudonym || keyColumns.Contains(c.Name)).ToArray());
        if (input.Duplicates != DuplicatePolicy.KeepFirst) return t;
        var rows = new ulong[t.RowCount];
        for (int i = 0; i < rows.Length; i++) rows[i] = (ulong)i;
        var spec = new ColumnSpec { Name = RowColumn, Kind = ColumnKind.Integer, Min = 0, Max = Math.Max(0, rows.Length - 1) };
        return t.With(new SecretColumn(spec, engine.Public(rows)));
    }

    /// <summary>Marks a categorical column travelling as its code (<see cref="AsCodes"/>).</summary>
    const string CodeColumn = "category code in a join";

    /// <summary>
    /// Each categorical column as one code per row, k + 1 for level k and 0 for none (a linear combination of its
    /// indicators: local), so that the shuffles and gathers of the join move one vector instead of one per level; the
    /// joined rows get their indicators back once (<see cref="FromCodes"/>). The original specs are kept by table and name.
    /// </summary>
    static SecretTable AsCodes(IComputeEngine engine, SecretTable t, int table, Dictionary<(int Table, string Column), ColumnSpec> categories)
    {
        if (!t.Columns.Any(c => c.Spec.Kind == ColumnKind.Categorical)) return t;
        // Stored columns not expanded yet (at a party service): their codes, all converted in one conversion.
        var converted = new Dictionary<string, SecretVector>(StringComparer.Ordinal);
        var stored = t.Columns.Where(c => c.Spec.Kind == ColumnKind.Categorical && c.PendingStoredCode is not null).ToArray();
        if (engine is IStoredCodes party && stored.Length > 0)
        {
            var codes = party.CodesOf([.. stored.Select(c => c.PendingStoredCode!)]);
            for (int j = 0; j < stored.Length; j++) converted[stored[j].Name] = codes[j];
        }
        return new SecretTable(t.Name, engine, [.. t.Columns.Select(c =>
        {
            if (c.Spec.Kind != ColumnKind.Categorical) return c;
            categories[(table, c.Name)] = c.Spec;
            var code = converted.GetValueOrDefault(c.Name);
            if (code is null)
            {
                var oneHot = c.OneHot!;
                code = oneHot[0];
                for (int k = 1; k < oneHot.Count; k++) code = engine.Add(code, engine.MultiplyPublic(oneHot[k], (ulong)(k + 1)));
            }
            return new SecretColumn(new ColumnSpec { Name = c.Name, Kind = ColumnKind.Integer, Min = 0, Max = c.Spec.Domain!.Count, Description = CodeColumn }, code);
        })]);
    }

    /// <summary>The joined table's categorical columns as indicators again (with presence where the column is nullable,
    /// or belongs to another table of a left join: no level on a row whose partner is missing).</summary>
    static SecretTable FromCodes(IComputeEngine engine, SecretTable result, JoinLayout layout, Dictionary<(int Table, string Column), ColumnSpec> categories)
    {
        var coded = result.Columns.Where(c => c.Spec.Kind == ColumnKind.Integer && c.Spec.Description == CodeColumn).ToArray();
        if (coded.Length == 0) return result;
        var origins = coded.Select(c => layout.Source(c.Name)).ToArray();
        var specs = origins.Select((o, j) => categories[o] with { Name = coded[j].Name, Nullable = categories[o].Nullable || coded[j].Present is not null }).ToArray();
        var indicators = engine.OneHotOfCodes([.. coded.Select((c, j) => (c.Values!, specs[j].Domain!.Count))]);
        var expanded = new Dictionary<string, SecretColumn>(StringComparer.Ordinal);
        for (int j = 0; j < coded.Length; j++)
        {
            var oneHot = indicators[j];
            SecretVector? present = null;
            if (specs[j].Nullable)
            {
                present = oneHot[0];
                for (int k = 1; k < oneHot.Count; k++) present = engine.Add(present, oneHot[k]);
            }
            expanded[coded[j].Name] = new SecretColumn(specs[j], null, oneHot, present);
        }
        return new SecretTable(result.Name, engine, [.. result.Columns.Select(c => expanded.TryGetValue(c.Name, out var e) ? e : c)]);
    }

    /// <summary>Opens a shuffled table's pass key to the compute parties and applies the duplicate policy.</summary>
    static (SecretTable Table, ulong[] Keys) OpenKeys(IComputeEngine engine, SecretTable table, LinkagePass pass, DuplicatePolicy policy)
    {
        if (table.RowCount == 0) return (table, []);
        var keys = engine.RevealToParties(table[pass.KeyColumn].RequireValues("join"),
            $"linkage pass '{pass.Name}': shuffled pseudonyms '{table.Name}'.'{pass.KeyColumn}'");
        var (singles, groups) = KeyMatching.Duplicates(keys);
        if (groups.Length == 0) return (table, keys);
        if (policy == DuplicatePolicy.Reject)
            throw new LinkageException($"Table '{table.Name}' has {groups.Sum(g => g.Length)} rows sharing {groups.Length} values of join key '{pass.KeyColumn}' " +
                $"in linkage pass '{pass.Name}', and its duplicate policy is Reject. Deduplicate the dataset at the contributor, or declare DuplicatePolicy.KeepFirst.");
        var deduplicated = ObliviousDeduplication.KeepFirst(table, singles, groups, RowColumn);
        return (deduplicated, singles.Select(i => keys[i]).Concat(groups.Select(g => keys[g[0]])).ToArray());
    }

    /// <summary>
    /// A fuzzy pass between the shuffled base table and one other: the blocking pseudonyms are opened to the parties (in
    /// the shuffled order), candidate pairs are the pairs sharing a block, and the Dice threshold and best-match decisions
    /// are computed on the shared filters of the candidate records only (<see cref="SecureFuzzyLinkage"/>); the decisions
    /// are opened to the parties, as an exact pass opens which shuffled rows carry equal pseudonyms. Returns, per base
    /// row, its partner's row (or −1).
    /// </summary>
    static int[] FuzzyMatch(IComputeEngine engine, SecretTable left, SecretTable right, LinkagePass pass, Bloom.FuzzyPass fuzzy)
    {
        var match = Enumerable.Repeat(-1, left.RowCount).ToArray();
        if (left.RowCount == 0 || right.RowCount == 0) return match;
        ulong[][] Blocks(SecretTable t)
        {
            var opened = engine.RevealToParties(engine.Concat([.. fuzzy.BlockColumns.Select(c => t[c].RequireValues("join"))]),
                $"linkage pass '{pass.Name}': shuffled blocking pseudonyms of '{t.Name}'");
            int k = fuzzy.BlockColumns.Count, rows = t.RowCount;
            return [.. Enumerable.Range(0, rows).Select(r => Enumerable.Range(0, k).Select(b => opened[(long)b * rows + r]).ToArray())];
        }
        var (candidates, _) = Bloom.FuzzyLinkageUnit.Candidates(Blocks(left), Blocks(right));
        if (candidates.Count == 0) return match;
        int bits = fuzzy.Bits, words = fuzzy.FilterColumns.Count;
        // The candidate records' filters as shared 0/1 values, record-major (record r's bits at [r·m, (r+1)·m)), both tables
        // at once: the candidate rows of each word column (most rows have no candidate), record-major words, then each
        // word's 64 bits (a boolean conversion of the words and a bit injection: 10 rounds a chunk).
        (SecretVector Left, SecretVector Right) Filters(int[] lefts, int[] rights)
        {
            SecretVector Words(SecretTable t, int[] rows)
            {
                var picked = engine.Concat([.. fuzzy.FilterColumns.Select(c => engine.Gather(t[c].RequireValues("join"), rows))]);
                var index = new int[rows.Length * words];
                for (int r = 0; r < rows.Length; r++)
                    for (int k = 0; k < words; k++) index[r * words + k] = k * rows.Length + r;
                return engine.Gather(picked, index);
            }
            var bitsOf = engine.ToArithmetic(engine.BitsOf(engine.Concat([Words(left, lefts), Words(right, rights)])));
            int split = lefts.Length * bits;
            return (engine.Gather(bitsOf, [.. Enumerable.Range(0, split)]), engine.Gather(bitsOf, [.. Enumerable.Range(split, rights.Length * bits)]));
        }
        // Decided in chunks (of candidates whose records' filters fit, of rival pairs), which bounds memory on large files
        // whose candidate graph is one large component, at the price of a chunk's rounds each; the decisions are the same.
        var decisions = Bloom.SecureFuzzyLinkage.Decide(engine, Filters, bits, candidates, fuzzy.Threshold,
            new Bloom.FuzzyChunks(fuzzy.MaxRecordsPerChunk, fuzzy.MaxRivalPairsPerChunk));
        var links = engine.RevealToParties(decisions.Links, $"linkage pass '{pass.Name}': which shuffled candidate pairs of '{left.Name}' and '{right.Name}' link");
        for (int k = 0; k < candidates.Count; k++)
            if (links[k]) match[candidates[k].Left] = candidates[k].Right;
        return match;
    }

    /// <summary>Output rows for the base rows <paramref name="finished"/> of this pass: base columns, partners' columns, matched flags.</summary>
    static SecretTable Segment(IComputeEngine engine, SecretTable[] current, int[][] match, int[] finished, JoinLayout layout)
    {
        var columns = new List<SecretColumn>(layout.Output(0, current[0]).Gather(finished).Columns);
        for (int t = 1; t < current.Length; t++)
        {
            var rows = finished.Select(i => match[t][i]).ToArray();
            var source = layout.Output(t, current[t]);
            if (rows.Any(j => j < 0))
            {
                for (int k = 0; k < rows.Length; k++) if (rows[k] < 0) rows[k] = source.RowCount;   // the appended zero row
                source = TableAssembly.WithZeroRow(source);
            }
            columns.AddRange(source.Gather(rows).Columns);
            if (layout.MatchedColumns[t] is { } name)
                columns.Add(new SecretColumn(new ColumnSpec { Name = name, Kind = ColumnKind.Boolean },
                    engine.Public(finished.Select(i => match[t][i] >= 0 ? 1UL : 0UL).ToArray())));
        }
        return new SecretTable(layout.Name, engine, columns);
    }
}
