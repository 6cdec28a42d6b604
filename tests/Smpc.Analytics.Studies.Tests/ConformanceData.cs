using System.Globalization;
using System.Text;
using Smpc.Analytics.Columnar;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>
/// The conformance suite's two datasets beside the committed synthetic agencies, written as a steward would hand them
/// in (NAME.csv, NAME.schema.json, NAME.terms.json): "bank_os", the bank's file under its own terms with min, max and
/// quantiles allowed (so the p% rule must cover order statistics), and "people", a small file whose terms hold a
/// differential-privacy budget of ε = 1.
/// </summary>
public static class ConformanceData
{
    public const string OrderStatistics = "bank_os", Budgeted = "people";
    public const double Budget = 1.0;

    /// <summary>Writes both datasets into <paramref name="folder"/> and returns it.</summary>
    public static string Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var synthetic = SyntheticAgencies.Locate(null);
        var bank = SyntheticAgencies.Load(synthetic, "bank");
        File.Copy(Path.Combine(synthetic, "bank.csv"), Path.Combine(folder, $"{OrderStatistics}.csv"), overwrite: true);
        (bank.Schema with { Name = OrderStatistics }).Save(Path.Combine(folder, $"{OrderStatistics}.schema.json"));
        (bank.Terms with { Dataset = OrderStatistics, AllowedOperations = [.. bank.Terms.AllowedOperations, "min", "max", "quantile"] })
            .Save(Path.Combine(folder, $"{OrderStatistics}.terms.json"));

        var csv = new StringBuilder("group,income\n");
        for (int i = 0; i < 400; i++) csv.Append(CultureInfo.InvariantCulture, $"{(i % 3 == 0 ? "a" : "b")},{i % 100}\n");
        File.WriteAllText(Path.Combine(folder, $"{Budgeted}.csv"), csv.ToString());
        new TableSchema
        {
            Name = Budgeted,
            Columns = [new ColumnSpec { Name = "group", Kind = ColumnKind.Categorical, Domain = ["a", "b"] },
                       new ColumnSpec { Name = "income", Kind = ColumnKind.FixedPoint, FractionBits = 8, Min = 0, Max = 1000 }],
        }.Save(Path.Combine(folder, $"{Budgeted}.schema.json"));
        new DataUseTerms
        {
            Dataset = Budgeted, Steward = "test", Purpose = "test", Redisclosure = new RedisclosureTerms(), EpsilonBudget = Budget,
            AllowedOperations = ["count", "sum", "mean", "groupby"],
        }.Save(Path.Combine(folder, $"{Budgeted}.terms.json"));
        return folder;
    }
}
