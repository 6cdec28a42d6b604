// What one compute party says it computed for an analyst, as it appends it to the study's transparency log through the
// registry (POST /api/studies/{id}/log/computations): a query (a join: the linked dataset stays at the parties), a
// release (an aggregate table) or a refusal, naming the party, the analyst, the operation, the request in words, the
// contributing datasets, the work token it ran under, and for a query or release the SHA-256 of the result exactly as
// the analyst receives it (PartyWire.Digest), with the ε the release spent. Each of the three parties logs its own
// record, so no single party's word is the record. A record carries no row value, identifier, share or suppressed value:
// only names, the analyst's own request, a digest of what the analyst was shown, ε and a rule. The registry checks the
// record's shape here (kinds, digest, rule, datasets of the study) and turns it into a log entry, and a release that
// spent ε also into one budget-spend entry per contributing dataset (BudgetSpends).
using System.Globalization;
using System.Text.Json.Serialization;

namespace Smpc.Governance.Transparency;

public sealed record ComputationRecord
{
    public const string QueryKind = "query", ReleaseKind = "release", RefusalKind = "refusal";

    /// <summary>"query" (a join), "release" (an aggregate) or "refusal".</summary>
    public required string Kind { get; init; }
    /// <summary>The compute party's id in the study (0, 1 or 2).</summary>
    public required int Party { get; init; }
    /// <summary>The analyst's account, as its study certificate (and the work token) name it.</summary>
    public required string Analyst { get; init; }
    /// <summary>"join" or "aggregate".</summary>
    public required string Operation { get; init; }
    /// <summary>The request in words (JoinRequest/AggregateRequest.Describe): what the analyst asked.</summary>
    public required string Request { get; init; }
    /// <summary>The contributed datasets the request touches (each a dataset of the study).</summary>
    public IReadOnlyList<string> Datasets { get; init; } = [];
    /// <summary>SHA-256 (hex) of the result as the analyst receives it; a query or release only.</summary>
    public string? ResultSha256 { get; init; }
    /// <summary>ε the release charged to the contributing datasets' budgets.</summary>
    public double? Epsilon { get; init; }
    /// <summary>The rule that refused; a refusal only.</summary>
    public string? Rule { get; init; }
    /// <summary>The id of the work token the request carried, when the party accepted it.</summary>
    public string? TokenId { get; init; }
    /// <summary>The operation's number in the analyst's study history (1, 2, …), when it ran.</summary>
    public int? Sequence { get; init; }

    public const int MaxRequestLength = 2000;

    [JsonIgnore]
    public LogEntryKind EntryKind => Kind switch
    {
        QueryKind => LogEntryKind.Query,
        ReleaseKind => LogEntryKind.Release,
        _ => LogEntryKind.Refusal,
    };

    /// <summary>Null when the record may be logged for a study with <paramref name="studyDatasets"/>; otherwise what is wrong.</summary>
    public string? Problem(IReadOnlyCollection<string> studyDatasets)
    {
        if (Kind is not (QueryKind or ReleaseKind or RefusalKind)) return $"kind '{Kind}' is not one of query, release, refusal";
        if (Party is < 0 or > 2) return $"party {Party} is not 0, 1 or 2";
        if (string.IsNullOrWhiteSpace(Analyst) || Analyst.Length > 320) return "analyst is missing (or longer than 320 characters)";
        if (Operation is not ("join" or "aggregate")) return $"operation '{Operation}' is not join or aggregate";
        if (Kind == QueryKind && Operation != "join") return "a query entry records a join";
        if (Kind == ReleaseKind && Operation != "aggregate") return "a release entry records an aggregate";
        if (string.IsNullOrWhiteSpace(Request) || Request.Length > MaxRequestLength) return $"request is missing (or longer than {MaxRequestLength} characters)";
        if (Datasets.Count == 0 && Kind != RefusalKind) return "datasets is empty";
        if (Datasets.FirstOrDefault(d => !studyDatasets.Contains(d)) is { } unknown) return $"'{unknown}' is not a dataset of this study";
        if (Kind == RefusalKind)
        {
            if (Rule is null || Rule.Length is 0 or > 64 || !Rule.All(char.IsAsciiLetterOrDigit)) return "a refusal names its rule (letters and digits, e.g. AllowedColumns)";
            if (ResultSha256 is not null || Epsilon is not null) return "a refusal has no result digest and spends no ε";
        }
        else
        {
            if (Rule is not null) return "only a refusal names a rule";
            if (ResultSha256 is null || ResultSha256.Length != 64 || !ResultSha256.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c)))
                return "resultSha256 must be the result's SHA-256 in 64 lower-case hexadecimal digits";
        }
        if (Epsilon is { } e && (double.IsNaN(e) || double.IsInfinity(e) || e < 0)) return "epsilon must be a non-negative number";
        if (Kind == QueryKind && Epsilon is not null) return "a join spends no ε";
        if (TokenId is { } t && (t.Length is 0 or > 64 || !t.All(char.IsAsciiLetterOrDigit))) return "tokenId is not a work token id";
        if (Sequence is < 1) return "sequence starts at 1";
        return null;
    }

    /// <summary>The entry's summary: who computed what for whom, and what came of it.</summary>
    public string Summary(string organisation)
    {
        string what = Kind switch
        {
            QueryKind => $"ran {Operation} {Request} for {Analyst}: result sha256 {ResultSha256![..16]}…",
            ReleaseKind => $"released {Request} to {Analyst}: table sha256 {ResultSha256![..16]}…" + (Epsilon is { } e ? $", ε {e.ToString("G6", CultureInfo.InvariantCulture)}" : ""),
            _ => $"refused {Operation} {Request} for {Analyst} ({Rule})",
        };
        return $"Compute party {Party} ({organisation}) {what}.";
    }

    /// <summary>The entry's data: every field by name (datasets comma-separated, in the order given).</summary>
    public Dictionary<string, string> Data(string organisationId)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["computation"] = Kind, ["party"] = Party.ToString(CultureInfo.InvariantCulture), ["organisation"] = organisationId,
            ["analyst"] = Analyst, ["operation"] = Operation, ["request"] = Request, ["datasets"] = string.Join(",", Datasets),
        };
        if (ResultSha256 is not null) data["resultSha256"] = ResultSha256;
        if (Epsilon is { } e) data["epsilon"] = e.ToString("R", CultureInfo.InvariantCulture);
        if (Rule is not null) data["rule"] = Rule;
        if (TokenId is not null) data["tokenId"] = TokenId;
        if (Sequence is { } s) data["sequence"] = s.ToString(CultureInfo.InvariantCulture);
        return data;
    }

    /// <summary>What a release that spent ε charged at this party: one spend per contributing dataset (each party's
    /// privacy-budget ledger charges every dataset the release draws on), with its summary and data. None for a record
    /// that spent no ε.</summary>
    public IReadOnlyList<(string Summary, Dictionary<string, string> Data)> BudgetSpends(string organisation, string organisationId)
    {
        if (Kind != ReleaseKind || Epsilon is not { } e || !(e > 0)) return [];
        string epsilon = e.ToString("G6", CultureInfo.InvariantCulture);
        return Datasets.Select(d =>
        {
            var data = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["party"] = Party.ToString(CultureInfo.InvariantCulture), ["organisation"] = organisationId, ["analyst"] = Analyst,
                ["dataset"] = d, ["epsilon"] = e.ToString("R", CultureInfo.InvariantCulture), ["request"] = Request, ["resultSha256"] = ResultSha256!,
            };
            if (Sequence is { } s) data["sequence"] = s.ToString(CultureInfo.InvariantCulture);
            if (TokenId is not null) data["tokenId"] = TokenId;
            return ($"Compute party {Party} ({organisation}) charged ε {epsilon} to the budget of '{d}' for {Analyst} (release: {Request}).", data);
        }).ToList();
    }
}

/// <summary>The registry's answer to a logged computation: the entry's index and the path of its inclusion proof.</summary>
public sealed record ComputationLogged(long Index, string Proof);
