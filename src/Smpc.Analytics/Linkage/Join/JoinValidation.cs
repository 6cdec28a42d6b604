using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;

namespace Smpc.Analytics.Linkage;

/// <summary>Checks a join request before anything is shuffled or opened; every error names the table, column or rule.</summary>
static class JoinValidation
{
    public static IComputeEngine Check(IReadOnlyList<JoinInput> inputs, JoinOptions options)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(options);
        if (inputs.Count < 2) throw new LinkageException($"A join needs at least two tables; got {inputs.Count}.");
        if (options.Passes is null || options.Passes.Count == 0) throw new LinkageException("A join needs at least one linkage pass (a pseudonym column to link on).");
        foreach (var dup in options.Passes.GroupBy(p => p.Name).Where(g => g.Count() > 1))
            throw new LinkageException($"Two linkage passes are both named '{dup.Key}'.");
        foreach (var dup in options.Passes.GroupBy(p => p.KeyColumn).Where(g => g.Count() > 1))
            throw new LinkageException($"Linkage passes {string.Join(" and ", dup.Select(p => $"'{p.Name}'"))} use the same key column '{dup.Key}'; a later pass on the same key can link nothing new.");
        var engine = inputs[0].Table.Engine;
        foreach (var dup in inputs.GroupBy(i => i.Table.Name).Where(g => g.Count() > 1))
            throw new LinkageException($"Two join inputs are both named '{dup.Key}'; rename one (SecretTable.Rename).");

        foreach (var input in inputs)
        {
            var t = input.Table;
            if (!ReferenceEquals(t.Engine, engine)) throw new LinkageException($"Table '{t.Name}' belongs to another engine than '{inputs[0].Table.Name}'; all tables of a join must be shared with one engine.");
            if (t.RowCount == 0) throw new LinkageException($"Table '{t.Name}' is empty (0 rows); every table of a join needs at least one row.");
            if (t.Has(SecureJoin.RowColumn)) throw new LinkageException($"Table '{t.Name}' has a column named '{SecureJoin.RowColumn}', which the join reserves.");
            foreach (var pass in options.Passes)
            {
                pass.Fuzzy?.Validate(pass.Name);
                foreach (var column in pass.Columns)
                {
                    if (!t.Has(column))
                        throw new LinkageException(pass.Fuzzy is null
                            ? $"Join key '{column}' (pass '{pass.Name}') is missing from table '{t.Name}'. Columns: {string.Join(", ", t.Columns.Select(c => c.Name))}."
                            : $"Fuzzy pass '{pass.Name}' needs column '{column}', which table '{t.Name}' does not have: its contributor prepared no fuzzy encoding " +
                              $"of {pass.Fuzzy.FilterColumns.Count} bits (FuzzyPreparation).");
                    if (t[column].Present is not null)
                        throw new LinkageException($"Join key '{t.Name}'.'{column}' has missing values shared as nulls; pseudonymise with LinkagePreparation, which gives missing identifiers random pseudonyms instead.");
                    if (pass.Fuzzy is not null && t[column].Spec.Kind != ColumnKind.Pseudonym)
                        throw new LinkageException($"Fuzzy pass '{pass.Name}': column '{t.Name}'.'{column}' is {Describe(t[column].Spec.Kind)}, not linkage material (a pseudonym column).");
                }
            }
            input.Rules?.CheckKeys(t.Name, options.Passes.Select(p => (p.KeyColumn, p.SourcesOf(t.Name))));
        }

        foreach (var pass in options.Passes)
        {
            var kinds = inputs.Select(i => (i.Table.Name, Kind: i.Table[pass.KeyColumn].Spec.Kind)).ToList();
            if (kinds.Select(k => k.Kind).Distinct().Count() > 1)
                throw new LinkageException($"Join key '{pass.KeyColumn}' (pass '{pass.Name}') has different types: {string.Join(", ", kinds.Select(k => $"'{k.Name}' {Describe(k.Kind)}"))}. Every table must carry pseudonyms made by the same pseudonymiser.");
            if (kinds[0].Kind != ColumnKind.Pseudonym)
                throw new LinkageException($"Join key '{pass.KeyColumn}' (pass '{pass.Name}') is {Describe(kinds[0].Kind)}, not a pseudonym; joins link only on pseudonym columns (LinkagePreparation.Prepare turns identifiers into pseudonyms at the contributor).");
        }

        if (options.Kind == JoinKind.Left && inputs.Count > 2 && string.IsNullOrWhiteSpace(options.MatchedColumn))
            throw new LinkageException("A left join needs a name for its matched-indicator columns.");
        return engine;
    }

    static string Describe(ColumnKind kind) => kind switch
    {
        ColumnKind.Pseudonym => "a pseudonym",
        ColumnKind.Integer => "an integer",
        ColumnKind.FixedPoint => "fixed point",
        ColumnKind.Categorical => "categorical",
        ColumnKind.Boolean => "boolean",
        _ => kind.ToString(),
    };
}
