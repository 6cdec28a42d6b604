using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;
using Smpc.Governance.DataUse;
using static Smpc.Analytics.Tests.Linkage.SyntheticLinkageData;

namespace Smpc.Analytics.Tests.Linkage;

/// <summary>Bad input to preparation and join gets a clear error naming the table, column or rule — and nothing is opened.</summary>
public class JoinErrorTests
{
    static readonly Person[] People = Population(60, seed: 3);
    readonly PlaintextEngine _engine = new();
    readonly IPseudonymiser _hash = new KeyedHashPseudonymiser(KeyedHashPseudonymiser.NewKey());

    SecretTable Shared(Extract e) => Contribute(_engine, e, _hash).Shared;
    SecretTable Vets => Shared(Veterans(People, 0, 40, 0, 1));
    SecretTable Bank => Shared(Bank(People, 20, 40, 0, 2));

    static DataUseTerms Terms(string dataset, params string[] linkage) => new()
    {
        Dataset = dataset, Steward = "VA", Purpose = "test", Redisclosure = new RedisclosureTerms(), LinkageColumns = linkage,
    };

    LinkageException Fails(Action a)
    {
        var e = Assert.Throws<LinkageException>(a);
        Assert.DoesNotContain(_engine.Reveals, r => r.Audience == RevealAudience.ComputeParties);   // nothing opened
        return e;
    }

    [Fact]
    public void Missing_join_column()
    {
        var bank = Bank.Select("bank_id", "balance", "ssn_key");
        var e = Fails(() => SecureJoin.Inner(new(Vets), new(bank), Passes));
        Assert.Contains("'demographic_key'", e.Message);
        Assert.Contains("missing from table 'bank'", e.Message);
    }

    [Fact]
    public void Type_mismatch_between_join_columns()
    {
        var bank = Bank;
        var asInteger = new SecretColumn(new ColumnSpec { Name = "ssn_key", Kind = ColumnKind.Integer, Min = 0, Max = 1 }, bank["ssn_key"].Values);
        var e = Fails(() => SecureJoin.Inner(new(Vets), new(bank.With(asInteger)), Passes[..1]));
        Assert.Contains("different types", e.Message);
        Assert.Contains("'veterans' a pseudonym", e.Message);
        Assert.Contains("'bank' an integer", e.Message);
    }

    [Fact]
    public void Join_on_a_column_that_is_not_a_pseudonym()
    {
        var e = Fails(() => SecureJoin.Inner(new(Vets.With(Vets["vet_id"].Map(v => v)).Rename("veterans")), new(Bank), new LinkagePass("id", "vet_id")));
        Assert.Contains("missing from table 'bank'", e.Message);
        var vets = Vets; var bank = Bank;
        var idAsKey = new SecretColumn(new ColumnSpec { Name = "id", Kind = ColumnKind.Integer, Min = 0, Max = 1_000_000 }, vets["vet_id"].Values);
        var bankId = new SecretColumn(new ColumnSpec { Name = "id", Kind = ColumnKind.Integer, Min = 0, Max = 1_000_000 }, bank["bank_id"].Values);
        e = Fails(() => SecureJoin.Inner(new(vets.With(idAsKey)), new(bank.With(bankId)), new LinkagePass("id", "id")));
        Assert.Contains("not a pseudonym", e.Message);
    }

    [Fact]
    public void Empty_table()
    {
        var empty = Vets.Gather([]);
        var e = Fails(() => SecureJoin.Inner(new(empty), new(Bank), Passes));
        Assert.Contains("'veterans' is empty", e.Message);
    }

    [Fact]
    public void Terms_that_forbid_linkage_on_a_column()
    {
        // The bank allows linkage on SSN only: the demographic pass is refused, naming the columns and the steward.
        var e = Fails(() => SecureJoin.Inner(new(Vets), new(Bank, Rules: Terms("bank", "ssn").LinkageRules()), Passes));
        Assert.Contains("do not allow linkage on 'last_name', 'first_name', 'dob', 'sex'", e.Message);
        Assert.Contains("'bank'", e.Message);
        // An empty list allows none.
        e = Fails(() => SecureJoin.Inner(new(Vets, Rules: Terms("veterans").LinkageRules()), new(Bank), Passes[..1]));
        Assert.Contains("allow linkage on no column", e.Message);
        // Terms of another dataset are not accepted for this one.
        e = Fails(() => SecureJoin.Inner(new(Vets, Rules: Terms("survey", "ssn").LinkageRules()), new(Bank), Passes[..1]));
        Assert.Contains("govern dataset 'survey'", e.Message);
        // Operations listed without "join".
        e = Fails(() => SecureJoin.Inner(new(Vets, Rules: (Terms("veterans", "ssn") with { AllowedOperations = ["count", "mean"] }).LinkageRules()), new(Bank), Passes[..1]));
        Assert.Contains("do not allow the operation 'join'", e.Message);
        // Allowed: runs.
        var ok = SecureJoin.Inner(new(Vets, Rules: Terms("veterans", "ssn").LinkageRules()), new(Bank, Rules: Terms("bank", "ssn").LinkageRules()), Passes[..1]);
        Assert.True(ok.Table.RowCount > 0);
    }

    [Fact]
    public void Preparation_refuses_keys_the_terms_forbid_and_identifiers_shared_as_payload()
    {
        var e = Veterans(People, 0, 10, 0, 1);
        var x = Assert.Throws<LinkageException>(() => LinkagePreparation.Prepare(e.Raw, e.Payload, Keys, _hash, Terms("veterans", "ssn").LinkageRules()));
        Assert.Contains("do not allow linkage on 'last_name'", x.Message);
        var leaky = e.Payload with { Columns = [.. e.Payload.Columns, new ColumnSpec { Name = "dob", Kind = ColumnKind.Integer, Min = 0, Max = 1 }] };
        x = Assert.Throws<LinkageException>(() => LinkagePreparation.Prepare(e.Raw, leaky, Keys, _hash));
        Assert.Contains("'dob'", x.Message);
        Assert.Contains("must not also be shared as payload", x.Message);
        x = Assert.Throws<LinkageException>(() => LinkagePreparation.Prepare(e.Raw, e.Payload, [LinkageKey.Ssn("social_security")], _hash));
        Assert.Contains("needs column 'social_security'", x.Message);
    }

    [Fact]
    public void Preparation_replaces_identifiers_by_pseudonyms_and_reports_missing_keys()
    {
        var e = Veterans(People, 0, 40, 0, 1);
        var prepared = LinkagePreparation.Prepare(e.Raw, e.Payload, Keys, _hash);
        Assert.DoesNotContain("ssn", prepared.Data.ColumnNames);
        Assert.DoesNotContain("last_name", prepared.Data.ColumnNames);
        Assert.Equal(ColumnKind.Pseudonym, prepared.Schema.Column("ssn_key").Kind);
        Assert.IsType<ulong[]>(prepared.Data["ssn_key"]);
        var expectedMissing = Keys[0].KeysOf(e.Raw).Count(k => k is null);
        Assert.True(expectedMissing > 0);
        Assert.Equal(expectedMissing, prepared.Quality[0].Missing);
    }

    [Fact]
    public void Two_inputs_with_one_name_and_a_nullable_key_column()
    {
        var e = Fails(() => SecureJoin.Inner(new(Vets), new(Vets), Passes));
        Assert.Contains("both named 'veterans'", e.Message);
        var bank = Bank;
        var withNulls = new SecretColumn(bank["ssn_key"].Spec, bank["ssn_key"].Values, present: _engine.Share(new ulong[bank.RowCount]));
        e = Fails(() => SecureJoin.Inner(new(Vets), new(bank.With(withNulls)), Passes[..1]));
        Assert.Contains("missing values shared as nulls", e.Message);
    }

    [Fact]
    public void Small_match_counts_are_suppressed_with_a_complement()
    {
        var result = SecureJoin.Run([new(Vets), new(Bank)], new JoinOptions { Passes = Passes, MinCellSize = 1_000 });
        Assert.All(result.MatchCounts, c => Assert.Null(c.Count));
        var released = SecureJoin.Run([new(Vets), new(Bank)], new JoinOptions { Passes = Passes, MinCellSize = 1 });
        Assert.All(released.MatchCounts, c => Assert.NotNull(c.Count));
        Assert.Contains(_engine.Reveals, r => r.Audience == RevealAudience.Analyst && r.Purpose.StartsWith("linkage: matches per pass"));
    }

    [Fact]
    public void Tables_that_share_nobody_give_an_empty_joined_table_with_every_column()
    {
        var vets = Shared(Veterans(People, 0, 20, 0, 1));
        var bank = Shared(Bank(People, 30, 20, 0, 2));
        var inner = SecureJoin.Run([new(vets), new(bank)], new JoinOptions { Passes = Passes, MinCellSize = 1 });
        Assert.Equal(0, inner.Table.RowCount);
        Assert.Equal(["vet_id", "disability_rating", "branch", "pension", "bank_id", "balance", "has_loan"], inner.Table.Columns.Select(c => c.Name));
        Assert.All(inner.MatchCounts, c => Assert.Equal(0, c.Count));
        var left = SecureJoin.Left(new(vets), new(bank), Passes);
        Assert.Equal(20, left.Table.RowCount);
        Assert.All(_engine.Reveal(left.Table["matched"].Values!, "test"), m => Assert.Equal(0UL, m));
        Assert.All(_engine.Reveal(left.Table["bank_id"].Values!, "test"), v => Assert.Equal(0UL, v));
    }

    [Fact]
    public void Of_two_bad_values_in_a_large_file_the_first_is_named()
    {
        // Keys are normalised on every core in ranges of rows; the error still names the first bad row of the file.
        var ssn = Enumerable.Range(0, 200_000).Select(i => (object?)$"{100 + i % 800:D3}-{10 + i % 89:D2}-{1000 + i % 8999:D4}").ToArray();
        ssn[150_000] = 3.5;
        ssn[70_000] = DateTime.UnixEpoch;
        var raw = new PlainTable("bank");
        raw.Add("ssn", ssn);
        var e = Assert.Throws<LinkageException>(() => LinkageKey.Ssn().KeysOf(raw));
        Assert.Contains("'bank'.'ssn' row 70000", e.Message);
        Assert.Contains("DateTime", e.Message);
    }
}
