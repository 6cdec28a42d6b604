using Smpc.Analytics.Columnar;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Synthetic.Tests;

/// <summary>Every committed file parses against its schema; the engine's encoder accepts it (domains, bounds, nullability).</summary>
public class SchemaTests : TempFolders
{
    public static TheoryData<string> Datasets => new(SyntheticGenerator.DatasetNames);

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Every_file_validates_against_its_schema(string name)
    {
        var file = AgencyFile.Load(Repo.Samples, name);
        var raw = new Table(Path.Combine(Repo.Samples, name + ".csv"));
        Assert.Equal(raw.Rows.Count, file.Analysis.RowCount);
        Assert.Equal(raw.Header.Order(), file.Schema.Columns.Select(c => c.Name).Concat(file.Schema.Identifiers.Select(i => i.Name)).Order());

        // The engine's contributor encoder checks kinds, declared domains, bounds and nullability of every value.
        var encoded = ContributorEncoder.Encode(file.Schema, file.Analysis);
        Assert.Equal(file.Schema.Columns.Count, encoded.Count);

        // Independently: numbers parse and lie within the declared bounds; categories lie in the domain.
        foreach (var spec in file.Schema.Columns)
        {
            var values = raw.Column(spec.Name).ToList();
            if (!spec.Nullable) Assert.DoesNotContain("", values);
            foreach (var v in values.Where(v => v != ""))
                switch (spec.Kind)
                {
                    case ColumnKind.Integer or ColumnKind.FixedPoint:
                        double x = double.Parse(v, System.Globalization.CultureInfo.InvariantCulture);
                        Assert.InRange(x, spec.Min!.Value, spec.Max!.Value);
                        if (spec.Kind == ColumnKind.Integer) Assert.Equal(Math.Floor(x), x);
                        break;
                    case ColumnKind.Categorical: Assert.Contains(v, spec.Domain!); break;
                    case ColumnKind.Boolean: Assert.True(v is "true" or "false", $"{spec.Name}: '{v}'"); break;
                }
        }
        foreach (var id in file.Schema.Identifiers.Where(i => !i.Nullable))
            Assert.True(((string?[])file.Identifiers[id.Name]).All(v => v is not null), $"{name}.{id.Name} has empty values but is not nullable");
        var recordIds = (string?[])file.Identifiers[file.Schema.Identifiers.Single(i => i.Kind == IdentifierKind.RecordId).Name];
        Assert.Equal(recordIds.Length, recordIds.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Terms_load_and_name_only_columns_the_schema_has(string name)
    {
        var schema = TableSchema.Load(Path.Combine(Repo.Samples, name + ".schema.json"));
        var terms = DataUseTerms.Load(Path.Combine(Repo.Samples, name + ".terms.json"));
        Assert.Equal(name, terms.Dataset);
        Assert.False(string.IsNullOrWhiteSpace(terms.Purpose));
        Assert.NotEmpty(terms.AllowedOperations);
        Assert.All(terms.AllowedColumns, c => Assert.True(schema.Has(c), $"allowed column '{c}' is not in the schema"));
        Assert.All(terms.LinkageColumns, c => Assert.True(schema.Has(c) || schema.Identifiers.Any(i => i.Name == c), $"linkage column '{c}' is not in the schema"));
        Assert.True(terms.Expires > new DateOnly(2027, 1, 1));
    }

    [Fact]
    public void The_three_agencies_terms_differ_as_their_agreements_do()
    {
        var t = SyntheticGenerator.DatasetNames.ToDictionary(n => n, n => DataUseTerms.Load(Path.Combine(Repo.Samples, n + ".terms.json")));
        Assert.True(t["bank"].Redisclosure.InternalUseOnly);
        Assert.False(t["veterans"].Redisclosure.InternalUseOnly);
        Assert.False(t["survey"].Redisclosure.InternalUseOnly);
        Assert.DoesNotContain("quantile", t["bank"].AllowedOperations);
        Assert.Contains("quantile", t["survey"].AllowedOperations);
        Assert.DoesNotContain("spend_health", t["bank"].AllowedColumns);
        Assert.Equal([11, 20, 11], new[] { t["veterans"], t["bank"], t["survey"] }.Select(x => x.MinCellSize));
        Assert.Equal([1, 5, 10], new[] { t["veterans"], t["bank"], t["survey"] }.Select(x => x.RoundingBase));
        Assert.Equal(10, t["bank"].DominanceP);
        Assert.Equal(AccessLevel.Synthetic, t["survey"].Access);
    }

    [Fact]
    public void A_value_outside_the_declared_bounds_is_refused_naming_line_and_column()
    {
        string dir = NewFolder();
        foreach (var f in new[] { "veterans.csv", "veterans.schema.json" }) File.Copy(Path.Combine(Repo.Samples, f), Path.Combine(dir, f));
        var lines = File.ReadAllLines(Path.Combine(dir, "veterans.csv"));
        lines[3] = lines[3].Replace(",true", ",maybe").Replace(",false", ",maybe");
        File.WriteAllLines(Path.Combine(dir, "veterans.csv"), lines);
        var e = Assert.Throws<SchemaException>(() => AgencyFile.Load(dir, "veterans"));
        Assert.Contains("line 4, column 'healthcare_enrolled': 'maybe' is not true or false", e.Message);

        lines = File.ReadAllLines(Path.Combine(Repo.Samples, "veterans.csv"));
        var header = lines[0].Split(',');
        int k = Enumerable.Range(5, lines.Length - 5).First(i => !lines[i].Contains('"'));   // a line without quoted fields
        var row = lines[k].Split(',');
        row[Array.IndexOf(header, "age")] = "140";
        lines[k] = string.Join(',', row);
        File.WriteAllLines(Path.Combine(dir, "veterans.csv"), lines);
        var file = AgencyFile.Load(dir, "veterans");
        var range = Assert.Throws<RangeException>(() => ContributorEncoder.Encode(file.Schema, file.Analysis));
        Assert.Contains($"'veterans'.'age' row {k - 1}: 140 is outside the declared range [17, 110]", range.Message);
    }

    [Fact]
    public void Identifier_columns_round_trip_through_the_schema_file_and_clashes_are_refused()
    {
        var schema = TableSchema.Load(Path.Combine(Repo.Samples, "bank.schema.json"));
        Assert.Equal(["customer_id", "ssn", "first_name", "last_name", "dob"], schema.Identifiers.Select(i => i.Name));
        var dob = schema.Identifiers.Single(i => i.Kind == IdentifierKind.DateOfBirth);
        Assert.Equal("MM/dd/yyyy", dob.Format);
        Assert.True(dob.Nullable);
        Assert.Contains("\"kind\": \"dateOfBirth\"", File.ReadAllText(Path.Combine(Repo.Samples, "bank.schema.json")));

        var clash = schema with { Identifiers = [.. schema.Identifiers, new IdentifierSpec { Name = "balance", Kind = IdentifierKind.RecordId }] };
        Assert.Contains("'balance' is declared both as an identifier and as an analysis column", Assert.Throws<SchemaException>(() => clash.Validate()).Message);
        var twice = schema with { Identifiers = [.. schema.Identifiers, new IdentifierSpec { Name = "ssn", Kind = IdentifierKind.Ssn }] };
        Assert.Contains("identifier 'ssn' is declared twice", Assert.Throws<SchemaException>(() => twice.Validate()).Message);

        // A schema without identifiers (the engine's existing files) still loads: the list defaults to empty.
        string dir = NewFolder(), path = Path.Combine(dir, "plain.schema.json");
        File.WriteAllText(path, """{ "name": "plain", "columns": [ { "name": "x", "kind": "integer", "min": 0, "max": 9 } ] }""");
        Assert.Empty(TableSchema.Load(path).Identifiers);
    }
}
