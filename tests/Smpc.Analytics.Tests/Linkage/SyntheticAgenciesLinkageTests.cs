using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;
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
}
