using Smpc.Analytics.Reporting;

namespace Smpc.Analytics.Reporting.Tests;

/// <summary>Small hand-made reports for the writer tests.</summary>
internal static class Samples
{
    /// <summary>A 2 × 2 cross-tab with margins in which cell (B, y) and its complement (B, x) are suppressed.</summary>
    public static ReportTable CrossTab() => new(["era", "band"], ["count", "mean(balance)"],
    [
        new(["A", "x"], [40, 1234.56]), new(["A", "y"], [25, 2345.67]),
        new(["B", "x"], null, "complementary suppression"), new(["B", "y"], null, "cell size < 20"),
        new(["A", "(all)"], [65, 1658.02]), new(["B", "(all)"], [31, 999.5]),
        new(["(all)", "x"], [58, 1100.25]), new(["(all)", "y"], [38, 2001.75]), new(["(all)", "(all)"], [96, 1422.6]),
    ]);

    public static ReleaseEntry Released(string id = "R01", ChartRequest? chart = null) => new()
    {
        Id = id, Title = "Era × band", Dataset = "veterans × bank", Query = "crosstab era × band: count, mean(balance)",
        Outcome = ReleaseOutcome.Released, Table = CrossTab(), Chart = chart,
        RulesApplied = ["minimum cell size 20", "complementary suppression"],
        Notes = ["mean(balance) = Σx / n; error at most ±0.004"],
        Reveals = [new(RevealAudienceKind.ComputeParties, "cell-size rule: released/suppressed bits", 9), new(RevealAudienceKind.Analyst, "release crosstab", 14)],
        Cost = new CostEntry(1000, 2048, 12, TimeSpan.FromMilliseconds(250)),
    };

    public static ReleaseEntry Refused(string id = "R02") => new()
    {
        Id = id, Title = "Median balance", Dataset = "veterans × bank", Query = "median(balance)",
        Outcome = ReleaseOutcome.Refused, RefusedBy = "AllowedOperations", RefusalMessage = "operation 'quantile' is not allowed on 'bank'.",
        Cost = CostEntry.None,
    };

    public static StudyReport Report(params ReleaseEntry[] releases) => new()
    {
        Title = "Test study", StudyId = "test-study", Question = "Does the report show what was released?",
        Narrative = [new ReportSection("Background", ["Made-up numbers for the writer tests."])],
        Methods = [new ReportSection("Secure computation", ["Three parties."])],
        ThreatModel = ["Semi-honest, honest majority."],
        Datasets =
        [
            new DatasetEntry
            {
                Name = "bank", Steward = "A bank", Rows = 10_000,
                Files = [new FileDigest("data/bank.csv", "data", 123, new string('a', 64))],
                Terms = new TermsSummary { Purpose = "tests", InternalUseOnly = true, Access = "Aggregates", MinCellSize = 20, DominanceP = 10, RoundingBase = 5, AllowedOperations = ["count", "mean"] },
            },
        ],
        Linkages =
        [
            new LinkageEntry
            {
                Name = "veterans × bank", Tables = ["veterans", "bank"], Kind = "inner", Pseudonymisation = "keyed hash",
                Passes = [new("ssn", "ssn_key", ["ssn"]), new("name + dob", "name_dob_key", ["last_name", "first_name", "dob"])],
                MatchCounts = [new("ssn", "bank", 3400), new("name + dob", "bank", null)], JoinedRows = 3416,
                Reveals = [new(RevealAudienceKind.ComputeParties, "linkage pass 'ssn': shuffled pseudonyms", 18000)],
                Cost = new CostEntry(18000, 1 << 20, 50, TimeSpan.FromSeconds(1)),
            },
        ],
        Releases = releases.Length > 0 ? releases : [Released(), Refused()],
        Checks = [new GroundTruthCheck("A, x: count", 40, 40, 0, "exact"), new GroundTruthCheck("B, y: count", 7, null, 0, "exact")],
        Reproducibility = new Reproducibility
        {
            Command = "smpc study run", StartedAt = new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero), Duration = TimeSpan.FromSeconds(3),
            Engine = "secure, 3 parties in-process", Seeds = new Dictionary<string, string> { ["data"] = "2026" },
            Versions = new Dictionary<string, string> { ["Smpc.Analytics"] = "1.0" },
        },
    };
}
