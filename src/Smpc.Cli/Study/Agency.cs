using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Reporting;
using Smpc.Analytics.Study;
using Smpc.Analytics.Synthetic;

namespace Smpc.Cli.Study;

/// <summary>
/// One synthetic agency acting as a contributor: it reads its file against its schema, builds the study's linkage
/// keys from its own identifiers (SSN; surname + given name + date of birth), pseudonymises them with the study's
/// keyed hash, and secret-shares the analysis columns and pseudonyms under its data-use terms. Identifiers never
/// leave it. Also records the SHA-256 of its data, schema and terms files for the review packet.
/// </summary>
internal sealed record Agency(string Name, SecretTable Table, DataUseTerms Terms, long Rows, IReadOnlyList<FileDigest> Files, IReadOnlyList<KeyQuality> KeyQuality)
{
    /// <summary>The two linkage keys every agency builds (the bank records no sex, so the demographic key leaves it out).</summary>
    public static LinkageKey[] Keys(DateOnly latestDateOfBirth) =>
        [LinkageKey.Ssn(), LinkageKey.NameDateOfBirth(latestDateOfBirth: latestDateOfBirth)];

    public static Agency Contribute(IComputeEngine engine, string folder, string name, IReadOnlyList<LinkageKey> keys, IPseudonymiser pseudonymiser, string displayFolder)
    {
        var file = AgencyFile.Load(folder, name);
        var terms = DataUseTerms.Load(Path.Combine(folder, name + ".terms.json"));
        if (terms.Dataset != file.Schema.Name)
            throw new SchemaException($"'{name}.terms.json' governs dataset '{terms.Dataset}', not '{file.Schema.Name}'.");
        var raw = new PlainTable(name);
        foreach (var c in file.Analysis.ColumnNames) raw.Add(c, file.Analysis[c]);
        foreach (var c in file.Identifiers.ColumnNames) raw.Add(c, file.Identifiers[c]);
        var prepared = LinkagePreparation.Prepare(raw, file.Schema, keys, pseudonymiser, terms);
        var table = ContributorEncoder.Share(engine, prepared.Schema, prepared.Data);
        string[] suffixes = [".csv", ".schema.json", ".terms.json"];
        string[] roles = ["data", "schema", "data-use terms"];
        var files = suffixes.Select((s, i) => Manifest.Digest(Path.Combine(folder, name + s), $"{displayFolder}/{name}{s}", roles[i])).ToArray();
        return new Agency(name, table, terms, raw.RowCount, files, prepared.Quality);
    }

    public DatasetEntry Entry() => new()
    {
        Name = Name, Steward = Terms.Steward, Rows = Rows, Files = Files, Terms = EngineResults.Terms(Terms),
        SharedColumns = Table.Columns.Select(c => c.Name).ToArray(),
    };
}
