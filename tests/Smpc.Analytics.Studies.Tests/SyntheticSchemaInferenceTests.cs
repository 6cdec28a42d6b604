using Smpc.Analytics.Columnar;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>Schema inference on the committed synthetic agencies finds the kinds, identifiers and domains their
/// hand-written schemas declare, with bounds that hold every value, and each file validates against its draft.</summary>
public sealed class SyntheticSchemaInferenceTests
{
    static readonly string Folder = SyntheticAgencies.Locate(null);

    [Theory]
    [InlineData("veterans")]
    [InlineData("bank")]
    [InlineData("survey")]
    public void The_draft_matches_the_committed_schema(string dataset)
    {
        var committed = TableSchema.Load(Path.Combine(Folder, dataset + ".schema.json"));
        var csv = Path.Combine(Folder, dataset + ".csv");
        var draft = SchemaInference.Infer(csv).Schema;

        Assert.Equal(dataset, draft.Name);
        Assert.Equal(committed.Columns.Select(c => (c.Name, c.Kind)), draft.Columns.Select(c => (c.Name, c.Kind)));
        Assert.Equal(committed.Identifiers.Select(i => (i.Name, i.Kind)), draft.Identifiers.Select(i => (i.Name, i.Kind)));
        foreach (var c in committed.Columns)
        {
            var d = draft.Column(c.Name);
            if (c.Kind == ColumnKind.Categorical) Assert.Subset(c.Domain!.ToHashSet(), d.Domain!.ToHashSet());
            if (c.Kind == ColumnKind.FixedPoint) Assert.Equal(c.FractionBits, d.FractionBits);
        }
        var dob = committed.Identifiers.Single(i => i.Kind == IdentifierKind.DateOfBirth);
        Assert.Equal(dob.Format, draft.Identifiers.Single(i => i.Kind == IdentifierKind.DateOfBirth).Format);
        Assert.Empty(DatasetReader.Validate(csv, draft));
        Assert.Empty(DatasetReader.Validate(csv, committed));
    }
}
