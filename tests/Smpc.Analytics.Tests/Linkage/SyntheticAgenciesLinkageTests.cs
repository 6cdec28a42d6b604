using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Linkage.Bloom;
using Smpc.Governance.DataUse;
using Smpc.Analytics.Synthetic.Tests;   // Table: the independent CSV reader of the synthetic-data tests

namespace Smpc.Analytics.Tests.Linkage;

/// <summary>
/// End to end on the committed synthetic agency files (data/synthetic): each agency prepares its own identifiers
/// under its data-use terms, the compute parties link veterans × bank on SSN, then name + date of birth (the bank does
/// not record sex), and the linked record pairs are checked against the generator's true person ids.
/// </summary>
public class SyntheticAgenciesLinkageTests
{
    static string DataDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "data", "synthetic", "veterans.csv"))) return Path.Combine(dir.FullName, "data", "synthetic");
        throw new DirectoryNotFoundException("data/synthetic not found above " + AppContext.BaseDirectory);
    }

    /// <summary>An agency's identifiers (as text, empty → missing) and one payload column: the record's row number.</summary>
    static (PlainTable Raw, TableSchema Payload, string[] RecordIds, DataUseTerms Terms) Agency(string dir, string name)
    {
        var schema = TableSchema.Load(Path.Combine(dir, name + ".schema.json"));
        var csv = new Table(Path.Combine(dir, name + ".csv"));
        var header = csv.Header;
        var rows = csv.Rows.ToArray();
        var raw = new PlainTable(name);
        foreach (var id in schema.Identifiers)
        {
            int k = Array.IndexOf(header, id.Name);
            raw.Add(id.Name, rows.Select(r => r[k].Length == 0 ? null : (object)r[k]).ToArray());
        }
        raw.Add("record", Enumerable.Range(0, rows.Length).Select(i => (long)i).ToArray());
        var payload = new TableSchema
        {
            Name = name,
            Columns = [new ColumnSpec { Name = "record", Kind = ColumnKind.Integer, Min = 0, Max = rows.Length }],
            Identifiers = schema.Identifiers,
        };
        var recordIds = rows.Select(r => r[0]).ToArray();   // first column: the agency's record id
        return (raw, payload, recordIds, DataUseTerms.Load(Path.Combine(dir, name + ".terms.json")));
    }

    [Fact]
    public void Veterans_and_bank_link_with_high_precision_against_the_true_person_ids()
    {
        var dir = DataDir();
        var truth = new Table(Path.Combine(dir, "truth", "records.csv")).Rows.ToDictionary(r => (r[0], r[1]), r => r[2]);
        var vets = Agency(dir, "veterans");
        var bank = Agency(dir, "bank");

        using var engine = new SecureEngine();
        var hash = new KeyedHashPseudonymiser(KeyedHashPseudonymiser.NewKey());
        LinkageKey[] keys = [LinkageKey.Ssn(), LinkageKey.NameDateOfBirth(latestDateOfBirth: new DateOnly(2026, 12, 31))];
        SecretTable Share((PlainTable Raw, TableSchema Payload, string[] _, DataUseTerms Terms) a)
        {
            var prepared = LinkagePreparation.Prepare(a.Raw, a.Payload, keys, hash, a.Terms.LinkageRules());
            return ContributorEncoder.Share(engine, prepared.Schema, prepared.Data);
        }

        var result = SecureJoin.Run(
            [new JoinInput(Share(vets), DuplicatePolicy.KeepFirst, vets.Terms.LinkageRules()), new JoinInput(Share(bank), DuplicatePolicy.KeepFirst, bank.Terms.LinkageRules())],
            new JoinOptions { Passes = [LinkagePass.On(keys[0], "ssn"), LinkagePass.On(keys[1], "name+dob")] });

        var vetRows = engine.Reveal(result.Table["record"].Values!, "test: compare with the truth");
        var bankRows = engine.Reveal(result.Table["bank.record"].Values!, "test: compare with the truth");
        var pairs = vetRows.Zip(bankRows, (v, b) => (Vet: truth[("veterans", vets.RecordIds[v])], Bank: truth[("bank", bank.RecordIds[b])])).ToList();
        int correct = pairs.Count(p => p.Vet == p.Bank);
        const int PeopleInBoth = 3547;   // truth/ground-truth.json: overlap.persons.veterans_bank

        Assert.True(correct >= 0.999 * pairs.Count, $"precision {correct}/{pairs.Count}");
        Assert.True(pairs.Select(p => p.Vet).Distinct().Count() == pairs.Count, "each veteran person is linked once");
        Assert.True(correct >= 0.97 * PeopleInBoth, $"recall {correct}/{PeopleInBoth}");
        Assert.All(result.MatchCounts, c => Assert.True(c.Count is > 0, $"pass {c.Pass}: {c.Count}"));
        Assert.True(result.MatchCounts[1].Count < result.MatchCounts[0].Count);
    }

    /// <summary>
    /// A fuzzy pass after the exact ones: the contributors add keyed Bloom filters (512 bits) and blocking pseudonyms; the
    /// parties link what SSN and name + date of birth left on the Dice coefficient (≥ 0.85, best match wins) on shares.
    /// Checked against the hashed mode's decisions in the clear on the same filters (the same links, up to ties between
    /// equally scored candidates, which the shuffled order may break differently), against the true persons (precision
    /// kept, recall raised), and the pass's released count equals the number of fuzzy links.
    /// </summary>
    [Fact]
    public void A_fuzzy_pass_links_what_the_exact_passes_leave_as_the_hashed_mode_decides()
    {
        var dir = DataDir();
        var truth = new Table(Path.Combine(dir, "truth", "records.csv")).Rows.ToDictionary(r => (r[0], r[1]), r => r[2]);
        var vets = Agency(dir, "veterans");
        var bank = Agency(dir, "bank");
        const double Threshold = 0.85;

        using var engine = new SecureEngine();
        var hash = new KeyedHashPseudonymiser(KeyedHashPseudonymiser.NewKey());
        var spec = new FuzzyEncodingSpec();              // 512 bits: surname 6, given name 5, date of birth 5 positions per token
        var filterKey = KeyedHashPseudonymiser.NewKey();
        var encoder = FuzzyPreparation.Encoder(spec, filterKey);
        LinkageKey[] keys = [LinkageKey.Ssn(), LinkageKey.NameDateOfBirth(latestDateOfBirth: new DateOnly(2026, 12, 31))];
        var sides = new Dictionary<string, FuzzySide>();
        SecretTable Share((PlainTable Raw, TableSchema Payload, string[] _, DataUseTerms Terms) a)
        {
            var prepared = LinkagePreparation.Prepare(a.Raw, a.Payload, keys, hash, a.Terms.LinkageRules());
            var dob = a.Payload.Identifiers.Single(i => i.Kind == IdentifierKind.DateOfBirth);
            var (specs, data) = FuzzyPreparation.Prepare(a.Payload, spec, a.Raw, encoder, hash, a.Terms.LinkageRules());
            sides[a.Payload.Name] = BloomRecords.Encode(a.Raw, encoder, hash, dateFormat: dob.Format);
            foreach (var c in data.ColumnNames) prepared.Data.Add(c, data[c]);
            return ContributorEncoder.Share(engine, prepared.Schema with { Columns = [.. prepared.Schema.Columns, .. specs] }, prepared.Data);
        }

        var result = SecureJoin.Run(
            [new JoinInput(Share(vets), DuplicatePolicy.KeepFirst, vets.Terms.LinkageRules()), new JoinInput(Share(bank), DuplicatePolicy.KeepFirst, bank.Terms.LinkageRules())],
            new JoinOptions { Passes = [LinkagePass.On(keys[0], "ssn"), LinkagePass.On(keys[1], "name+dob"), LinkagePass.OnFuzzy(Threshold, spec.Bits, ["last_name", "first_name", "dob"])], MinCellSize = 1, RoundingBase = 1 });
        Assert.DoesNotContain(result.Table.Columns, c => c.Name.StartsWith("fuzzy_", StringComparison.Ordinal) || c.Name.Contains(".fuzzy_", StringComparison.Ordinal));
        // Decided in chunks of a few candidates and rival pairs each (as large files are), the pass links the same pairs per pass.
        var fuzzyPass = LinkagePass.OnFuzzy(Threshold, spec.Bits, ["last_name", "first_name", "dob"]);
        var batched = SecureJoin.Run(
            [new JoinInput(Share(vets), DuplicatePolicy.KeepFirst, vets.Terms.LinkageRules()), new JoinInput(Share(bank), DuplicatePolicy.KeepFirst, bank.Terms.LinkageRules())],
            new JoinOptions { Passes = [LinkagePass.On(keys[0], "ssn"), LinkagePass.On(keys[1], "name+dob"), fuzzyPass with { Fuzzy = fuzzyPass.Fuzzy! with { MaxRivalPairsPerChunk = 50, MaxFilterBitsPerChunk = 40L * spec.Bits } }], MinCellSize = 1, RoundingBase = 1 });
        Assert.Equal(result.MatchCounts.Select(c => c.Count), batched.MatchCounts.Select(c => c.Count));

        var vetRows = engine.Reveal(result.Table["record"].Values!, "test: compare with the reference");
        var bankRows = engine.Reveal(result.Table["bank.record"].Values!, "test: compare with the reference");
        var secure = vetRows.Zip(bankRows, (v, b) => ((int)v, (int)b)).ToHashSet();

        // The reference: the exact passes, then the hashed mode's fuzzy decisions on what they left.
        string?[] Keys(PlainTable raw, LinkageKey key) => key.KeysOf(raw);
        var (exact, leftInPlay, rightInPlay) = ExactKeepFirst([(Keys(vets.Raw, keys[0]), Keys(bank.Raw, keys[0])), (Keys(vets.Raw, keys[1]), Keys(bank.Raw, keys[1]))]);
        var (fuzzy, _) = FuzzyLinkageUnit.Link(sides["veterans"], sides["bank"], Threshold,
            Enumerable.Range(0, vets.RecordIds.Length).Where(i => !leftInPlay.Contains(i)).ToHashSet(),
            Enumerable.Range(0, bank.RecordIds.Length).Where(j => !rightInPlay.Contains(j)).ToHashSet());
        Assert.True(fuzzy.Count > 20, $"the reference links {fuzzy.Count} pairs fuzzily");
        foreach (var pair in exact) Assert.Contains(pair, secure);
        var secureFuzzy = secure.Except(exact).ToList();
        Assert.Equal(fuzzy.Count, secureFuzzy.Count);
        Assert.Equal(fuzzy.Count, (int)result.MatchCounts[2].Count!);
        // The same links, but for ties: best match breaks an exact tie of Dice coefficients by the order of the records, which
        // on shares is the shuffled order, so a tied record may link to the other candidate of equal score.
        var reference = fuzzy.ToDictionary(f => f.Left);
        var referenceByRight = fuzzy.ToDictionary(f => f.Right);
        foreach (var (l, r) in secureFuzzy)
        {
            double score = Dice(sides["veterans"].Filters[l], sides["bank"].Filters[r]);
            Assert.True(score >= Threshold - 1e-12, $"veteran {l} ↔ bank {r}: Dice {score}");
            bool same = reference.TryGetValue(l, out var expected) && expected.Right == r;
            bool tiedLeft = reference.TryGetValue(l, out expected) && Math.Abs(expected.Score - score) < 1e-12;
            bool tiedRight = referenceByRight.TryGetValue(r, out var other) && Math.Abs(other.Score - score) < 1e-12;
            Assert.True(same || tiedLeft || tiedRight,
                $"veteran {l} ↔ bank {r} (Dice {score}) on shares; in the clear veteran {l} links {(reference.TryGetValue(l, out var e) ? $"bank {e.Right} (Dice {e.Score})" : "nobody")}, bank {r} links {(referenceByRight.TryGetValue(r, out var o) ? $"veteran {o.Left} (Dice {o.Score})" : "nobody")}");
        }

        // Against the true persons: precision kept, recall above the exact passes'.
        int Correct(IEnumerable<(int Left, int Right)> pairs) => pairs.Count(p => truth[("veterans", vets.RecordIds[p.Left])] == truth[("bank", bank.RecordIds[p.Right])]);
        int exactCorrect = Correct(exact), allCorrect = Correct(secure);
        Assert.True(allCorrect >= 0.99 * secure.Count, $"precision {allCorrect}/{secure.Count}");
        Assert.True(allCorrect > exactCorrect, $"correct links: {allCorrect} with the fuzzy pass, {exactCorrect} without");
    }

    /// <summary>The secure join's exact passes under KeepFirst, in the clear: in each pass a key held by several rows of one
    /// side keeps its first row (by original row number) and the others leave the linkage; equal keys link; what is
    /// neither linked nor dropped goes on. Missing keys link to nothing. Returns the links and the rows still in play.</summary>
    static (List<(int Left, int Right)> Links, HashSet<int> Left, HashSet<int> Right) ExactKeepFirst(IEnumerable<(string?[] Left, string?[] Right)> passes)
    {
        var links = new List<(int, int)>();
        HashSet<int>? left = null, right = null;
        foreach (var (lk, rk) in passes)
        {
            left ??= [.. Enumerable.Range(0, lk.Length)];
            right ??= [.. Enumerable.Range(0, rk.Length)];
            static Dictionary<string, int> First(string?[] keys, HashSet<int> inPlay, HashSet<int> keep)
            {
                var first = new Dictionary<string, int>();
                foreach (int i in inPlay.Order())
                    if (keys[i] is not { } k) keep.Add(i);
                    else if (first.TryAdd(k, i)) keep.Add(i);
                return first;
            }
            HashSet<int> keepL = [], keepR = [];
            var firstL = First(lk, left, keepL);
            var firstR = First(rk, right, keepR);
            foreach (var (k, i) in firstL)
                if (firstR.TryGetValue(k, out int j)) { links.Add((i, j)); keepL.Remove(i); keepR.Remove(j); }
            (left, right) = (keepL, keepR);
        }
        return (links, left ?? [], right ?? []);
    }

    static double Dice(ulong[] a, ulong[] b)
    {
        int both = 0, total = 0;
        for (int i = 0; i < a.Length; i++) { both += System.Numerics.BitOperations.PopCount(a[i] & b[i]); total += System.Numerics.BitOperations.PopCount(a[i]) + System.Numerics.BitOperations.PopCount(b[i]); }
        return total == 0 ? 0 : 2.0 * both / total;
    }
}
