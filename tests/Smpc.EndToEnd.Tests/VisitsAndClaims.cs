using System.Globalization;
using System.Text.Json;
using Smpc.Analytics.Columnar;

namespace Smpc.EndToEnd.Tests;

/// <summary>
/// Two organisations' files for the party-service process tests, written into a folder as their stewards hand them in:
/// visits (ssn, ward, cost) and claims (ssn, plan, premium), each with its schema and terms, people in both linking on
/// the SSN. The rows are kept for the tests' plaintext computations.
/// </summary>
internal sealed record VisitsAndClaims(IReadOnlyList<(string Ssn, string Ward, double Cost)> Visits, IReadOnlyList<(string Ssn, string Plan, int Premium)> Claims)
{
    public static readonly string[] Wards = ["harbourside", "millbrook", "thornfield"];
    public static readonly string[] Plans = ["basic", "plus"];

    /// <summary>Visits of the first <paramref name="visits"/> people, claims of everyone from <paramref name="claimsFrom"/> on.</summary>
    public static VisitsAndClaims Write(string dir, IReadOnlyList<string> people, int visits, int claimsFrom, Random random, string purpose, IReadOnlyList<string> operations)
    {
        var v = people.Take(visits).Select(s => (Ssn: s, Ward: Wards[random.Next(3)], Cost: random.Next(1000, 900000) / 100.0)).ToList();
        var c = people.Skip(claimsFrom).Select(s => (Ssn: s, Plan: Plans[random.Next(2)], Premium: random.Next(100, 5000))).ToList();
        File.WriteAllText(Path.Combine(dir, "visits.csv"), "ssn,ward,cost\n" + string.Concat(v.Select(x => $"{x.Ssn},{x.Ward},{x.Cost.ToString("0.00", CultureInfo.InvariantCulture)}\n")));
        File.WriteAllText(Path.Combine(dir, "claims.csv"), "ssn,plan,premium\n" + string.Concat(c.Select(x => $"{x.Ssn},{x.Plan},{x.Premium}\n")));
        File.WriteAllText(Path.Combine(dir, "visits.schema.json"), JsonSerializer.Serialize(new TableSchema
        {
            Name = "visits",
            Columns = [new ColumnSpec { Name = "ward", Kind = ColumnKind.Categorical, Domain = Wards }, new ColumnSpec { Name = "cost", Kind = ColumnKind.FixedPoint, FractionBits = 12, Min = 0, Max = 10000 }],
            Identifiers = [new IdentifierSpec { Name = "ssn", Kind = IdentifierKind.Ssn }],
        }, TableSchema.JsonInfo));
        File.WriteAllText(Path.Combine(dir, "claims.schema.json"), JsonSerializer.Serialize(new TableSchema
        {
            Name = "claims",
            Columns = [new ColumnSpec { Name = "plan", Kind = ColumnKind.Categorical, Domain = Plans }, new ColumnSpec { Name = "premium", Kind = ColumnKind.Integer, Min = 0, Max = 10000 }],
            Identifiers = [new IdentifierSpec { Name = "ssn", Kind = IdentifierKind.Ssn }],
        }, TableSchema.JsonInfo));
        string ops = string.Join(",", operations.Select(o => $"\"{o}\""));
        foreach (var name in new[] { "visits", "claims" })
            File.WriteAllText(Path.Combine(dir, $"{name}.terms.json"),
                $$"""{"dataset":"{{name}}","steward":"e2e","purpose":"{{purpose}}","minCellSize":5,"allowedOperations":[{{ops}}],"redisclosure":{"internalUseOnly":true},"linkageColumns":["ssn"]}""");
        return new VisitsAndClaims(v, c);
    }
}
