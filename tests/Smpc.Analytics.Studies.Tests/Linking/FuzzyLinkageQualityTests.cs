using System.Security.Cryptography;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Linkage.Bloom;
using Xunit.Abstractions;

namespace Smpc.Analytics.Studies.Tests.Linking;

/// <summary>
/// Linkage quality on the committed synthetic agencies (veterans 8k × bank 10k, with the generator's identifier noise:
/// missing and mistyped SSNs, nicknames, name typos, changed surnames, day/month swaps), against the true person of
/// every record (truth/records.csv): exact linkage (SSN, then name + date of birth — the secure join's passes) and
/// exact + fuzzy linkage of what remains on keyed record-level Bloom filters (the hashed PPRL mode's decisions, the
/// same the secure fuzzy mode computes on shares). The data are seeded, so the counts are deterministic and asserted.
/// </summary>
public sealed class FuzzyLinkageQualityTests(ITestOutputHelper output)
{
    sealed record Side(string Dataset, string[] Person, string?[] SsnKey, string?[] NameDobKey, FuzzySide Fuzzy);

    static Side Load(SyntheticTruth truth, string dataset, string idColumn, BloomEncoder encoder, KeyedHashPseudonymiser blocks)
    {
        var file = truth.File(dataset);
        var ids = file.Identifiers;
        var dob = file.Schema.Identifiers.Single(i => i.Kind == IdentifierKind.DateOfBirth);
        var person = ((string?[])ids[idColumn]).Select(id => truth.PersonOf(dataset, id!)).ToArray();
        var ssn = LinkageKey.Ssn().KeysOf(ids);
        var nameDob = LinkageKey.NameDateOfBirth(latestDateOfBirth: new DateOnly(2026, 12, 31), dateLayout: dob.Format).KeysOf(ids);
        return new Side(dataset, person, ssn, nameDob, BloomRecords.Encode(ids, encoder, blocks, dateFormat: dob.Format));
    }

    /// <summary>The exact passes of the secure join: SSN, then name + date of birth for what is left.</summary>
    static List<(int Left, int Right)> Exact(Side l, Side r) => ExactLinkageUnit.Link([(l.SsnKey, r.SsnKey), (l.NameDobKey, r.NameDobKey)]);

    [Fact]
    public void Fuzzy_linkage_of_what_exact_linkage_leaves_raises_recall_and_keeps_precision()
    {
        var truth = new SyntheticTruth(SyntheticAgencies.Locate(null));
        var encoder = new BloomEncoder(new BloomSpec
        {
            Fields = [new("last_name", BloomFieldKind.Name, 10), new("first_name", BloomFieldKind.Name, 8), new("dob", BloomFieldKind.DateOfBirth, 8)],
        }, RandomNumberGenerator.GetBytes(32), "quality");
        var blocks = new KeyedHashPseudonymiser(KeyedHashPseudonymiser.NewKey());
        var v = Load(truth, "veterans", "va_id", encoder, blocks);
        var b = Load(truth, "bank", "customer_id", encoder, blocks);

        var exact = Exact(v, b);
        var exactQuality = LinkageQuality.Of(exact, v.Person, b.Person);
        var (fuzzy, stats) = FuzzyLinkageUnit.Link(v.Fuzzy, b.Fuzzy, threshold: 0.9,
            exact.Select(p => p.Left).ToHashSet(), exact.Select(p => p.Right).ToHashSet());
        var combined = exact.Concat(fuzzy.Select(f => (f.Left, f.Right))).ToList();
        var combinedQuality = LinkageQuality.Of(combined, v.Person, b.Person);
        output.WriteLine($"exact: {exactQuality}");
        output.WriteLine($"exact + fuzzy: {combinedQuality}; {stats.CandidatePairs:N0} candidate pairs in {stats.Blocks:N0} blocks (largest {stats.LargestBlock})");

        Assert.True(combinedQuality.Recall > exactQuality.Recall, $"{combinedQuality} vs {exactQuality}");
        Assert.True(combinedQuality.Precision >= 0.98, combinedQuality.ToString());
        Assert.True(combinedQuality.Recall >= 0.95, combinedQuality.ToString());
        Assert.True(stats.CandidatePairs < 20L * (v.Fuzzy.Count + b.Fuzzy.Count), $"{stats.CandidatePairs} candidate pairs: blocking should keep them near linear");
    }

    /// <summary>
    /// The target, on files where about 10% of the records carry a name or date-of-birth defect and 30% of SSNs
    /// are missing (<see cref="SyntheticOptions.NoisyForSize"/>, seeded, so deterministic up to the random filter key):
    /// exact linkage drops below 95% recall; exact passes plus the fuzzy pass with the study's default encoding and
    /// threshold (512-bit filters, Dice 0.85) reach precision ≥ 0.98 and recall ≥ 0.95.
    /// </summary>
    [Fact]
    public void At_ten_percent_noisy_records_exact_linkage_drops_and_the_fuzzy_pass_restores_recall_with_precision()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"smpc-noisy10-{Environment.ProcessId}");
        try
        {
            Smpc.Analytics.Synthetic.SyntheticGenerator.Generate(Smpc.Analytics.Synthetic.SyntheticOptions.NoisyForSize(2026, 3000, 0.10), folder);
            var truth = new SyntheticTruth(folder);
            var records = File.ReadLines(Path.Combine(folder, "truth", "records.csv")).Skip(1).Select(l => l.Split(',')).Where(r => r[0] is "veterans" or "bank").ToList();
            double noisy = records.Count(r => r[4].Split(';').Intersect(Smpc.Analytics.Synthetic.NoiseRates.NameOrDateFlags).Any()) / (double)records.Count;
            Assert.InRange(noisy, 0.08, 0.13);

            var spec = new FuzzyEncodingSpec();
            var encoder = FuzzyPreparation.Encoder(spec, RandomNumberGenerator.GetBytes(32));
            var blocks = new KeyedHashPseudonymiser(KeyedHashPseudonymiser.NewKey());
            var v = Load(truth, "veterans", "va_id", encoder, blocks);
            var b = Load(truth, "bank", "customer_id", encoder, blocks);
            var exact = Exact(v, b);
            var exactQuality = LinkageQuality.Of(exact, v.Person, b.Person);
            var (fuzzy, stats) = FuzzyLinkageUnit.Link(v.Fuzzy, b.Fuzzy, JoinRequest.DefaultFuzzyThreshold, exact.Select(p => p.Left).ToHashSet(), exact.Select(p => p.Right).ToHashSet());
            var combined = LinkageQuality.Of([.. exact, .. fuzzy.Select(f => (f.Left, f.Right))], v.Person, b.Person);
            output.WriteLine($"{noisy:P1} of the records noisy; exact: {exactQuality}; exact + fuzzy: {combined}; {stats.CandidatePairs:N0} candidate pairs");
            Assert.True(exactQuality.Recall < 0.95, $"exact linkage: {exactQuality}");
            Assert.True(combined.Precision >= 0.98, combined.ToString());
            Assert.True(combined.Recall >= 0.95, combined.ToString());
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void On_secret_shares_the_parties_make_exactly_the_hashed_modes_decisions(bool secure)
    {
        var truth = new SyntheticTruth(SyntheticAgencies.Locate(null));
        var spec = new BloomSpec { Bits = 512, Fields = [new("last_name", BloomFieldKind.Name, 6), new("first_name", BloomFieldKind.Name, 5), new("dob", BloomFieldKind.DateOfBirth, 5)] };
        var encoder = new BloomEncoder(spec, RandomNumberGenerator.GetBytes(32), "secure");
        var blocks = new KeyedHashPseudonymiser(KeyedHashPseudonymiser.NewKey());
        // 250 veterans who are bank customers, their bank records and 250 other bank records: enough links and near misses.
        var vs = Load(truth, "veterans", "va_id", encoder, blocks);
        var bs = Load(truth, "bank", "customer_id", encoder, blocks);
        var inBank = bs.Person.Select((person, j) => (person, j)).GroupBy(x => x.person).ToDictionary(g => g.Key, g => g.Select(x => x.j).ToList());
        var vi = Enumerable.Range(0, vs.Person.Length).Where(i => inBank.ContainsKey(vs.Person[i])).Take(250).ToList();
        var bi = vi.SelectMany(i => inBank[vs.Person[i]]).Concat(Enumerable.Range(0, bs.Person.Length).Where(j => !vs.Person.Contains(bs.Person[j])).Take(250)).Distinct().Order().ToList();
        static FuzzySide Pick(FuzzySide s, List<int> rows) => new(rows.Select(r => s.Filters[r]).ToList(), rows.Select(r => s.Blocks[r]).ToList());
        var v = Pick(vs.Fuzzy, vi);
        var b = Pick(bs.Fuzzy, bi);
        var (plain, _) = FuzzyLinkageUnit.Link(v, b, 0.8);
        var (candidates, _) = FuzzyLinkageUnit.Candidates(v, b);
        Assert.True(candidates.Count > plain.Count && plain.Count > 10, $"{candidates.Count} candidates, {plain.Count} links: too few to compare");

        using IComputeEngine engine = secure ? new SecureEngine() : new PlaintextEngine();
        var meter = new OperationMeter(engine);
        var decisions = SecureFuzzyLinkage.Decide(engine, engine.Share(BloomRecords.Bits(v, spec.Bits)), v.Count, engine.Share(BloomRecords.Bits(b, spec.Bits)), b.Count, spec.Bits, candidates, 0.8);
        var (bytes, rounds, elapsed, _) = meter.Stop();
        var linked = engine.Reveal(decisions.Links, "test: compare with the hashed mode");
        var secureLinks = candidates.Where((_, k) => linked[k]).ToList();
        Assert.Equal(plain.Select(l => (l.Left, l.Right)).Order(), secureLinks.Order());
        Assert.Equal(secureLinks.Count, secureLinks.Select(l => l.Left).Distinct().Count());    // each record at most once
        Assert.Equal(secureLinks.Count, secureLinks.Select(l => l.Right).Distinct().Count());
        output.WriteLine($"{candidates.Count} candidate pairs, {secureLinks.Count} links; {rounds} rounds, {bytes:N0} bytes, {elapsed.TotalSeconds:F2} s");
    }

    [Fact]
    public void A_typo_or_a_swapped_day_and_month_keeps_the_Dice_coefficient_high_and_another_person_does_not()
    {
        var encoder = new BloomEncoder(new BloomSpec { Fields = [new("last_name", BloomFieldKind.Name, 10), new("first_name", BloomFieldKind.Name, 8), new("dob", BloomFieldKind.DateOfBirth, 8)] },
                                       new byte[32], "s");
        ulong[] F(string first, string last, string dob) => encoder.Encode(new Dictionary<string, string?> { ["first_name"] = first, ["last_name"] = last, ["dob"] = dob });
        var a = F("Katherine", "Montgomery", "1961-04-12");
        Assert.Equal(1.0, BloomEncoder.Dice(a, F("KATHERINE", "montgomery", "1961-04-12")));
        Assert.InRange(BloomEncoder.Dice(a, F("Katherine", "Montgomry", "1961-04-12")), 0.85, 1.0);     // one letter dropped
        Assert.InRange(BloomEncoder.Dice(a, F("Katherine", "Montgomery", "1961-12-04")), 0.85, 1.0);    // day and month swapped
        Assert.InRange(BloomEncoder.Dice(a, F("Robert", "Fairbanks", "1979-09-30")), 0.0, 0.5);         // another person
        Assert.Equal(BlockingKeys.Of("Montgomery", "Katherine", "1961-04-12")[1], BlockingKeys.Of("Montgomery", "Katherine", "1961-12-04")[1]);
        Assert.Equal("R163", BlockingKeys.Soundex("ROBERT"));
        Assert.Equal("R163", BlockingKeys.Soundex("RUPERT"));
        Assert.Equal("A261", BlockingKeys.Soundex("ASHCRAFT"));
        Assert.Equal("T522", BlockingKeys.Soundex("TYMCZAK"));
        Assert.Equal("P236", BlockingKeys.Soundex("PFISTER"));
    }

    [Fact]
    public void Filters_of_another_key_or_study_do_not_compare()
    {
        var spec = new BloomSpec { Fields = [new("last_name", BloomFieldKind.Name, 10)] };
        var fields = new Dictionary<string, string?> { ["last_name"] = "Montgomery" };
        var key = RandomNumberGenerator.GetBytes(32);
        var one = new BloomEncoder(spec, key, "study-1").Encode(fields);
        Assert.Equal(one, new BloomEncoder(spec, key, "study-1").Encode(fields));
        Assert.InRange(BloomEncoder.Dice(one, new BloomEncoder(spec, key, "study-2").Encode(fields)), 0.0, 0.5);
        Assert.InRange(BloomEncoder.Dice(one, new BloomEncoder(spec, RandomNumberGenerator.GetBytes(32), "study-1").Encode(fields)), 0.0, 0.5);
        Assert.Throws<LinkageException>(() => new BloomEncoder(spec with { Bits = 100 }, key, "s"));
        Assert.Throws<LinkageException>(() => new BloomEncoder(spec, new byte[8], "s"));
    }
}
