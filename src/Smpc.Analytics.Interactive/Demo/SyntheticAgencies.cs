using Smpc.Analytics.Columnar;
using Smpc.Analytics.Interactive.Api;
using Smpc.Analytics.Study;
using Smpc.Analytics.Synthetic;

namespace Smpc.Analytics.Interactive.Demo;

/// <summary>
/// The synthetic agencies of <c>data/synthetic</c> (veterans, bank customers, graduate survey) as contributors:
/// each file is read against its schema (<see cref="AgencyFile"/>), its SSN is pseudonymised with the contributors'
/// keyed hash (digits only; the Linkage layer's normalisation and fuzzy matching replace this), the pseudonym is
/// added as the <c>ssn</c> column, and the analysis columns are secret-shared under the file's own data-use terms.
/// Names and dates of birth never leave the contributor.
/// </summary>
public static class SyntheticAgencies
{
    public static readonly IReadOnlyList<string> Files = ["veterans", "bank", "survey"];

    /// <summary>The <c>data/synthetic</c> folder: <paramref name="folder"/> if given, else the first one found walking up
    /// from the working directory.</summary>
    public static string Locate(string? folder)
    {
        if (folder is not null)
            return File.Exists(Path.Combine(folder, "veterans.schema.json")) ? Path.GetFullPath(folder)
                : throw new QueryException($"'{folder}' holds no synthetic agency files (veterans.schema.json is missing).");
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data", "synthetic");
            if (File.Exists(Path.Combine(candidate, "veterans.schema.json"))) return candidate;
        }
        throw new QueryException($"No data/synthetic folder above '{Directory.GetCurrentDirectory()}'; pass its path with --data.");
    }

    /// <summary>Reads, pseudonymises and contributes every agency file present in <paramref name="folder"/>.</summary>
    public static void Contribute(SecureStudy study, string folder, byte[] key)
    {
        foreach (var name in Files)
        {
            if (!File.Exists(Path.Combine(folder, name + ".csv"))) continue;
            var file = AgencyFile.Load(folder, name);
            var terms = DataUseTerms.Load(Path.Combine(folder, name + ".terms.json"));
            var (schema, table) = WithPseudonym(file, key);
            study.Contribute(schema, table, terms);
        }
    }

    /// <summary>The analysis table with the keyed-hash pseudonym of the SSN as its first column.</summary>
    public static (TableSchema Schema, PlainTable Table) WithPseudonym(AgencyFile file, byte[] key)
    {
        var ssn = file.Identifiers.Has("ssn") ? (string?[])file.Identifiers["ssn"]
            : throw new QueryException($"The '{file.Schema.Name}' file has no ssn identifier to link on.");
        var table = new PlainTable(file.Schema.Name).Add("ssn", ssn.Select(s => (object?)DemoContributors.Pseudonym(s, key)).ToArray());
        foreach (var column in file.Analysis.ColumnNames) table.Add(column, file.Analysis[column]);
        var spec = new ColumnSpec { Name = "ssn", Kind = ColumnKind.Pseudonym, Nullable = true, Description = "keyed-hash pseudonym of the SSN (digits only)" };
        var schema = file.Schema with { Columns = [spec, .. file.Schema.Columns], Identifiers = [] };
        return (schema, table);
    }
}
