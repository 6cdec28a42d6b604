using Microsoft.Data.Analysis;
using Smpc.Analytics.Columnar;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Studies;

public sealed partial class SecureStudy
{
    /// <summary>
    /// A steward's own dataset — CSV with a header, Arrow IPC or Parquet — read and checked against
    /// <paramref name="schema"/> (every problem named with file, line and column; nothing is shared when there is one),
    /// then contributed under <paramref name="terms"/>: analysis columns shared, identifiers kept by the contributor for
    /// joins (the schema's identifiers say which column is the SSN, the names, the date of birth).
    /// </summary>
    public StudyDataset Contribute(string path, TableSchema schema, DataUseTerms terms) =>
        Contribute(Contributors.From(path, schema, terms));

    /// <summary>A dataset from its data, schema and terms files (all three hashed for the disclosure-review packet).</summary>
    public StudyDataset Contribute(string path, string schemaPath, string termsPath) =>
        Contribute(Contributors.From(path, TableSchema.Load(schemaPath), DataUseTerms.Load(termsPath), [path, schemaPath, termsPath]));

    /// <summary>A DataFrame held by the steward's C# session, checked against <paramref name="schema"/> row by row.</summary>
    public StudyDataset Contribute(DataFrame frame, TableSchema schema, DataUseTerms terms) =>
        Contribute(Contributors.From(frame, schema, terms));

    /// <summary>Every dataset of <paramref name="folder"/> (<c>NAME.csv|.arrow|.parquet</c> with <c>NAME.schema.json</c> and
    /// <c>NAME.terms.json</c>), in name order.</summary>
    public IReadOnlyList<StudyDataset> ContributeFolder(string folder) =>
        DatasetFolder.Load(folder).Select(Contribute).ToArray();
}
