using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;
using static Smpc.Analytics.Tests.Linkage.SyntheticLinkageData;

namespace Smpc.Analytics.Tests.Linkage;

/// <summary>
/// The secure join equals the plaintext LINQ reference on data with typos, format variants, missing SSNs and
/// duplicates — run against every engine (SecureEngine and PlaintextEngine) with both pseudonymisers.
/// </summary>
public abstract class JoinConformance : IDisposable
{
    protected abstract IComputeEngine CreateEngine();
    protected abstract IOprfService CreateOprf(IComputeEngine engine);

    readonly IComputeEngine _engine;
    protected JoinConformance() => _engine = CreateEngine();
    public void Dispose() => _engine.Dispose();

    static readonly Person[] People = Population(260, seed: 7);
    readonly IPseudonymiser _hash = new KeyedHashPseudonymiser(KeyedHashPseudonymiser.NewKey());

    // veterans: people 0..129 (+8 duplicates); bank: 60..189 (+6); survey: 100..219 (+5)
    static Extract VeteransData => Veterans(People, 0, 130, 8, seed: 11);
    static Extract BankData => Bank(People, 60, 130, 6, seed: 12);
    static Extract SurveyData => Survey(People, 100, 120, 5, seed: 13);

    (JoinInput Input, LinkageReference.Table Reference) Contribute(Extract e, IPseudonymiser pseudonymiser, DuplicatePolicy policy = DuplicatePolicy.KeepFirst)
    {
        var (shared, prepared) = SyntheticLinkageData.Contribute(_engine, e, pseudonymiser);
        return (new JoinInput(shared, policy), LinkageReference.From(e, prepared, policy));
    }

    JoinResult AssertEqualsReference(JoinKind kind, LinkagePass[] passes, params (JoinInput Input, LinkageReference.Table Reference)[] tables)
    {
        var result = SecureJoin.Run(tables.Select(t => t.Input).ToArray(), new JoinOptions { Kind = kind, Passes = passes, MinCellSize = 1 });
        var (rows, counts) = LinkageReference.Join(tables.Select(t => t.Reference).ToArray(), passes.Select(p => p.Name).ToArray(), kind);
        Assert.True(rows.Count > 10, "the test data should link a fair number of rows");
        Assert.Equal(rows.Order(StringComparer.Ordinal), LinkageReference.Reveal(_engine, result.Table).Order(StringComparer.Ordinal));
        Assert.Equal(counts.Select(c => (c.Pass, c.Table, (long?)c.Count)), result.MatchCounts.Select(c => (c.Pass, c.Table, c.Count)));
        return result;
    }

    [Fact]
    public void Two_pass_inner_join_with_keyed_hash_equals_the_plaintext_join()
    {
        var result = AssertEqualsReference(JoinKind.Inner, Passes, Contribute(VeteransData, _hash), Contribute(BankData, _hash));
        Assert.Equal(result.Table.RowCount, result.Linked("bank"));
        Assert.DoesNotContain(result.Table.Columns, c => c.Spec.Kind == Smpc.Analytics.Columnar.ColumnKind.Pseudonym);
    }

    [Fact]
    public void Two_pass_left_join_with_keyed_hash_equals_the_plaintext_join() =>
        AssertEqualsReference(JoinKind.Left, Passes, Contribute(VeteransData, _hash), Contribute(BankData, _hash));

    [Fact]
    public void Single_pass_joins_link_fewer_rows_than_two_passes()
    {
        var vets = Contribute(VeteransData, _hash); var bank = Contribute(BankData, _hash);
        AssertEqualsReference(JoinKind.Inner, Passes[..1], vets, bank);
        var one = SecureJoin.Run([vets.Input, bank.Input], new JoinOptions { Passes = Passes[..1], MinCellSize = 1 });
        var two = SecureJoin.Run([vets.Input, bank.Input], new JoinOptions { Passes = Passes, MinCellSize = 1 });
        Assert.True(two.Table.RowCount > one.Table.RowCount, "pass 2 should recover rows with missing or mistyped SSNs");
        Assert.Equal(one.MatchCounts[0].Count, two.MatchCounts[0].Count);
    }

    [Fact]
    public void Three_way_inner_join_veterans_bank_survey_equals_the_plaintext_join() =>
        AssertEqualsReference(JoinKind.Inner, Passes[..1], Contribute(VeteransData, _hash), Contribute(BankData, _hash), Contribute(SurveyData, _hash));

    [Fact]
    public void Three_way_two_pass_left_join_equals_the_plaintext_join() =>
        AssertEqualsReference(JoinKind.Left, Passes, Contribute(VeteransData, _hash), Contribute(BankData, _hash), Contribute(SurveyData, _hash));

    [Fact]
    public void Two_pass_inner_join_with_the_threshold_OPRF_equals_the_plaintext_join()
    {
        var service = CreateOprf(_engine);
        var vets = VeteransData; var bank = BankData;
        var oprfVets = new OprfPseudonymiser(service, "veterans");
        var oprfBank = new OprfPseudonymiser(service, "bank");
        AssertEqualsReference(JoinKind.Inner, Passes, Contribute(vets, oprfVets), Contribute(bank, oprfBank));
    }

    [Fact]
    public void Join_sizes_are_released_rounded_to_the_rounding_base_and_suppressed_below_the_minimum_cell_size()
    {
        var vets = Contribute(VeteransData, _hash); var bank = Contribute(BankData, _hash);
        var exact = SecureJoin.Run([vets.Input, bank.Input], new JoinOptions { Passes = Passes, MinCellSize = 1 });
        var rounded = SecureJoin.Run([vets.Input, bank.Input], new JoinOptions { Passes = Passes, MinCellSize = 1, RoundingBase = 5 });
        static long? Round5(long? n) => n is { } x ? (x + 2) / 5 * 5 : null;
        Assert.Equal(exact.Table.RowCount, exact.ReleasedRows);
        Assert.Equal(exact.Table.RowCount, rounded.Table.RowCount);                 // the parties hold the exact length
        Assert.Equal(Round5(exact.Table.RowCount), rounded.ReleasedRows);
        Assert.Equal(exact.MatchCounts.Select(c => Round5(c.Count)), rounded.MatchCounts.Select(c => c.Count));
        Assert.Contains(_engine.Reveals, r => r.Audience == RevealAudience.Analyst && r.Purpose.Contains("rounded to a multiple of 5"));
        var small = SecureJoin.Run([vets.Input, bank.Input], new JoinOptions { Passes = Passes, MinCellSize = 10_000 });
        Assert.Null(small.ReleasedRows);
        Assert.All(small.MatchCounts, c => Assert.True(c.Count is null or 0));
    }

    [Fact]
    public void A_left_join_gives_every_column_of_the_other_table_presence_equal_to_the_matched_flag()
    {
        var vets = Contribute(VeteransData, _hash); var bank = Contribute(BankData, _hash);
        var result = SecureJoin.Run([vets.Input, bank.Input], new JoinOptions { Kind = JoinKind.Left, Passes = Passes, MinCellSize = 1 });
        var matched = _engine.Reveal(result.Table["matched"].Values!, "test");
        var bankColumns = BankData.Payload.Columns.Where(c => !c.Nullable).Select(c => c.Name).Where(result.Table.Has).ToList();   // no name collides
        Assert.NotEmpty(bankColumns);
        foreach (var name in bankColumns)
        {
            Assert.True(result.Table[name].Spec.Nullable, name);
            Assert.Equal(matched, _engine.Reveal(result.Table[name].Present!, "test"));
        }
        Assert.Contains(matched, m => m == 0);
        Assert.All(VeteransData.Payload.Columns.Where(c => !c.Nullable), c => Assert.Null(result.Table[c.Name].Present));
    }

    [Fact]
    public void Duplicates_under_the_reject_policy_stop_the_join_with_the_table_named()
    {
        var vets = Contribute(VeteransData, _hash, DuplicatePolicy.Reject);
        var bank = Contribute(BankData, _hash);
        var e = Assert.Throws<LinkageException>(() => SecureJoin.Inner(vets.Input, bank.Input, Passes));
        Assert.Contains("'veterans'", e.Message);
        Assert.Contains("Reject", e.Message);
    }

    [Fact]
    public void Keep_first_keeps_exactly_the_earliest_row_of_each_duplicate_group()
    {
        // Join a table with itself-like partner: every veteran's duplicate group must come out once, with the first row's id.
        var vets = Contribute(VeteransData, _hash);
        var bank = Contribute(BankData, _hash);
        var result = SecureJoin.Left(vets.Input, bank.Input, Passes[..1]);
        var ids = _engine.Reveal(result.Table["vet_id"].Values!, "test").Select(v => (long)v).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var e = VeteransData;
        var keys = SsnKey.KeysOf(e.Raw);
        var expected = Enumerable.Range(0, e.Raw.RowCount)
            .GroupBy(r => keys[r] ?? $"missing {r}").Select(g => 1000L + g.Min()).Order();
        Assert.Equal(expected, ids.Order());
    }
}

public sealed class SecureEngineJoinTests : JoinConformance
{
    protected override IComputeEngine CreateEngine() => new SecureEngine();
    protected override IOprfService CreateOprf(IComputeEngine engine)
    {
        var s = new ClusterOprfService(((SecureEngine)engine).Cluster, OprfKeyShare.GenerateForParties());
        s.Allow("veterans", 1_000); s.Allow("bank", 1_000);
        return s;
    }
}

public sealed class PlaintextEngineJoinTests : JoinConformance
{
    protected override IComputeEngine CreateEngine() => new PlaintextEngine();
    protected override IOprfService CreateOprf(IComputeEngine engine)
    {
        var s = new InProcessOprfService(OprfKeyShare.GenerateForParties());
        s.Allow("veterans", 1_000); s.Allow("bank", 1_000);
        return s;
    }
}
