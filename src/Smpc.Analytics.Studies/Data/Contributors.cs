using Microsoft.Data.Analysis;
using Smpc.Analytics.Columnar;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Studies;

/// <summary>A contributor made from a steward's own data: read and checked against the schema, then held under the terms.</summary>
public static class Contributors
{
    /// <summary>The file at <paramref name="path"/>; <paramref name="files"/> (default: the data file) are hashed for
    /// the disclosure-review packet.</summary>
    public static Contributor From(string path, TableSchema schema, DataUseTerms terms, IReadOnlyList<string>? files = null)
    {
        var contents = DatasetReader.Read(path, schema);
        return new Contributor(schema, contents.Analysis, contents.Identifiers, terms, (files ?? [path]).Select(DatasetFile.Of).ToArray());
    }

    public static Contributor From(DataFrame frame, TableSchema schema, DataUseTerms terms)
    {
        var contents = DatasetReader.Read(frame, schema);
        return new Contributor(schema, contents.Analysis, contents.Identifiers, terms);
    }
}
