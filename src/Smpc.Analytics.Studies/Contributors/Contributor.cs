using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Studies;

/// <summary>
/// One agency's data steward, as the embedded study runs it: it holds its dataset's plaintext — analysis columns
/// and identifiers — validates it against the schema, secret-shares the analysis columns, and, when a join needs
/// them, normalises its identifiers, builds linkage keys, pseudonymises them (<see cref="LinkagePreparation"/>) and
/// shares the pseudonym columns. Plaintext never goes to the engine; identifiers never leave this object.
/// </summary>
public sealed class Contributor : ILinkSource
{
    readonly Dictionary<(string Scheme, string Key), SecretColumn> _pseudonyms = [];
    IReadOnlyList<SecretColumn>? _fuzzy;
    readonly Lock _gate = new();
    PlainTable? _raw;

    /// <param name="schema">The dataset's schema: analysis columns and (under Identifiers) the raw identifier columns.</param>
    /// <param name="analysis">Analysis columns as <see cref="ContributorEncoder"/> takes them.</param>
    /// <param name="identifiers">Identifier columns (text; null = missing), same rows; an empty table when there are none.</param>
    public Contributor(TableSchema schema, PlainTable analysis, PlainTable identifiers, DataUseTerms terms, IReadOnlyList<DatasetFile>? files = null)
    {
        schema.Validate();
        terms.Validate();
        if (terms.Dataset != schema.Name) throw new SchemaException($"The data-use terms are for '{terms.Dataset}', not for '{schema.Name}'.");
        if (identifiers.ColumnNames.Count > 0 && identifiers.RowCount != analysis.RowCount)
            throw new SchemaException($"'{schema.Name}': {identifiers.RowCount} identifier rows for {analysis.RowCount} analysis rows.");
        var undeclared = identifiers.ColumnNames.Where(c => !schema.Identifiers.Any(i => i.Name == c)).ToList();
        if (undeclared.Count > 0)
            throw new SchemaException($"'{schema.Name}': identifier columns {string.Join(", ", undeclared)} are not declared under the schema's identifiers.");
        Schema = schema;
        Analysis = analysis;
        Identifiers = identifiers;
        Terms = terms;
        Files = files ?? [];
    }

    public string Dataset => Schema.Name;
    public TableSchema Schema { get; }
    public DataUseTerms Terms { get; }
    public IReadOnlyList<DatasetFile> Files { get; }
    internal PlainTable Analysis { get; }
    internal PlainTable Identifiers { get; }
    public int RowCount => Analysis.RowCount;

    /// <summary>Whether the dataset has a column (analysis or identifier) of this name, e.g. "sex" for the demographic key.</summary>
    public bool Records(string column) => Schema.Has(column) || Identifiers.Has(column);

    /// <summary>The schema of the shared table: analysis columns only.</summary>
    public TableSchema PayloadSchema => Schema with { Identifiers = [], Fuzzy = null };

    /// <summary>Validates, encodes and secret-shares the analysis columns.</summary>
    public SecretTable Share(IComputeEngine engine) => ContributorEncoder.Share(engine, PayloadSchema, Analysis);

    /// <summary>
    /// Pseudonym columns for <paramref name="keys"/> under <paramref name="pseudonymiser"/>, secret-shared, in the same
    /// row order as <see cref="Share"/>. Runs the linkage layer's preparation (normalisation, key strings, the data-use
    /// terms' linkage rules) at the contributor. A key is prepared once per pseudonymiser scheme and reused;
    /// <paramref name="pseudonymiser"/> is asked for (number of keys still to prepare) only when some are.
    /// </summary>
    public void CheckKeys(IReadOnlyList<LinkageKey> keys, string scheme)
    {
        if (keys.Count > 0) Terms.LinkageRules().CheckKeys(Dataset, keys.Select(k => (k.Name, k.Sources)));
    }

    public IReadOnlyList<SecretColumn> SharePseudonyms(IComputeEngine engine, IReadOnlyList<LinkageKey> keys, string scheme, Func<int, IPseudonymiser> pseudonymiser)
    {
        lock (_gate)
        {
            var missing = keys.Where(k => !_pseudonyms.ContainsKey((scheme, k.Name))).ToList();
            if (missing.Count > 0)
            {
                var p = pseudonymiser(missing.Count);
                if (p.Scheme != scheme) throw new InvalidOperationException($"Pseudonymiser scheme {p.Scheme} is not the expected {scheme}.");
                var prepared = LinkagePreparation.Prepare(Raw(), Schema, missing, p, Terms.LinkageRules());
                var specs = missing.Select(k => prepared.Schema.Column(k.Name)).ToArray();
                var data = new PlainTable(Dataset);
                foreach (var k in missing) data.Add(k.Name, prepared.Data[k.Name]);
                var shared = ContributorEncoder.Share(engine, new TableSchema { Name = Dataset, Columns = specs }, data);
                foreach (var k in missing) _pseudonyms[(scheme, k.Name)] = shared[k.Name];
            }
            return keys.Select(k => _pseudonyms[(scheme, k.Name)]).ToArray();
        }
    }

    /// <summary>The fuzzy pass's columns: the keyed Bloom filter of each row's identifiers as its schema declares it (else
    /// the default encoding), shared as 64-bit words (one column per word), and its three blocking keys pseudonymised
    /// (Linkage/Bloom/FuzzyPreparation.cs), prepared once.</summary>
    IReadOnlyList<SecretColumn> ILinkSource.ShareFuzzy(IComputeEngine engine, string scheme, Func<FuzzyEncoding> encoding)
    {
        CheckFuzzy(scheme);
        lock (_gate)
        {
            if (_fuzzy is not null) return _fuzzy;
            var e = encoding();
            var spec = LinkageKeyKinds.FuzzyEncoding(Schema);
            var (specs, data) = Linkage.Bloom.FuzzyPreparation.Prepare(Schema, spec, Identifiers, Linkage.Bloom.FuzzyPreparation.Encoder(spec, e.FilterKey), e.Blocks, Terms.LinkageRules());
            var shared = ContributorEncoder.Share(engine, new TableSchema { Name = Dataset, Columns = specs }, data);
            return _fuzzy = [.. specs.Select(c => shared[c.Name])];
        }
    }

    public void CheckFuzzy(string scheme) => LinkageKeyKinds.CheckFuzzy(Schema, Terms);

    /// <summary>A column of fresh random 60-bit tags, one per row, secret-shared: labels that let the compute parties
    /// find the same base row in several join results after each was shuffled (<see cref="PairwiseStarJoin"/>). The
    /// tags are random, so opening them reveals nothing about the row they label.</summary>
    public SecretColumn ShareRowTags(IComputeEngine engine, string name)
    {
        var bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(8 * RowCount);
        var tags = new long[RowCount];
        for (int i = 0; i < tags.Length; i++) tags[i] = (long)(BitConverter.ToUInt64(bytes, 8 * i) >> 4);
        var spec = PairwiseStarJoin.TagSpec(name);
        return ContributorEncoder.Share(engine, new TableSchema { Name = Dataset, Columns = [spec] }, new PlainTable(Dataset).Add(name, tags))[name];
    }

    /// <summary>Analysis columns plus identifiers: what the linkage keys read.</summary>
    PlainTable Raw()
    {
        if (_raw is not null) return _raw;
        var raw = new PlainTable(Dataset);
        foreach (var c in Analysis.ColumnNames) raw.Add(c, Analysis[c]);
        foreach (var c in Identifiers.ColumnNames) raw.Add(c, Identifiers[c]);
        return _raw = raw;
    }
}
