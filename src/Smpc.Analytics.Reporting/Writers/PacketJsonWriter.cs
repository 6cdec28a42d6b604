using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Smpc.Analytics.Reporting;

/// <summary>
/// The machine-readable disclosure-review packet: datasets with file hashes and terms, the rules applied, every
/// linkage and release with what it revealed to the analyst and to the compute parties, costs, checks and the
/// reproducibility facts. Suppressed cells are <c>null</c> with the rule that suppressed them; refusals carry the rule.
/// </summary>
public static class PacketJsonWriter
{
    public const string Format = "smpc-disclosure-review/1";

    static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Render(StudyReport r) => JsonSerializer.Serialize(new
    {
        format = Format,
        study = r.StudyId,
        title = r.Title,
        question = r.Question,
        checksPassed = r.ChecksPassed,
        datasets = r.Datasets,
        linkages = r.Linkages.Select(l => new
        {
            l.Name, l.Tables, l.Kind, l.Pseudonymisation, l.Passes, l.MatchCounts, l.JoinedRows, l.RoundingBase, l.Notes,
            revealedToAnalyst = Reveals(l.Reveals, RevealAudienceKind.Analyst),
            revealedToComputeParties = Reveals(l.Reveals, RevealAudienceKind.ComputeParties),
            cost = Cost(l.Cost),
        }),
        releases = r.Releases.Select(x => new
        {
            x.Id, x.Title, x.Dataset, x.Query, x.Outcome, x.RefusedBy, x.RefusalMessage, x.RulesApplied, x.Notes, x.EpsilonSpent,
            table = x.Table is { } t ? new
            {
                t.KeyColumns, t.ValueColumns,
                rows = t.Rows.Select(row => new { keys = row.Keys, status = row.Suppressed ? "suppressed" : "released", rule = row.SuppressedBy, values = row.Values }),
                suppressedCells = t.SuppressedCount,
            } : null,
            revealedToAnalyst = Reveals(x.Reveals, RevealAudienceKind.Analyst),
            revealedToComputeParties = Reveals(x.Reveals, RevealAudienceKind.ComputeParties),
            cost = Cost(x.Cost),
            logEntries = x.LogEntries.Select(e => new { party = e.Party, index = e.Index, proofUrl = e.ProofUrl }),
            logProof = x.LogProofJson is { } proof ? JsonDocument.Parse(proof).RootElement.Clone() : (JsonElement?)null,
        }),
        transparencyLog = r.TransparencyLogJson is null ? null : ReportWriter.TransparencyLog,
        checks = r.Checks.Select(c => new { c.What, c.Expected, c.Actual, c.Tolerance, c.Basis, c.Outcome }),
        leakage = LeakageSummary.Of(r),
        totals = Cost(r.TotalCost),
        reproducibility = new
        {
            r.Reproducibility.Command, r.Reproducibility.Seeds, r.Reproducibility.Versions, r.Reproducibility.StartedAt,
            durationSeconds = r.Reproducibility.Duration.TotalSeconds, r.Reproducibility.Engine, r.Reproducibility.Environment,
        },
        threatModel = r.ThreatModel,
    }, Options) + "\n";

    static object Cost(CostEntry c) => new { rowsUsed = c.RowsUsed, bytes = c.Bytes, rounds = c.Rounds, seconds = Math.Round(c.Elapsed.TotalSeconds, 3) };

    static IEnumerable<object> Reveals(IReadOnlyList<RevealEntry> reveals, RevealAudienceKind audience) =>
        reveals.Where(v => v.Audience == audience).Select(v => new { purpose = v.Purpose, elements = v.Elements });
}
