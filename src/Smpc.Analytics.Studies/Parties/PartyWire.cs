// The study-level protocol between the analyst and the three compute party services: one JSON request per frame
// (list the datasets, join, aggregate, end), one JSON reply per frame. There is no request that names a secret value,
// a row or a handle: the only values a reply carries are those of a release that passed the data-use terms and
// disclosure control at the party, and public metadata (status and rule per cell, released counts, cost).
// A reply is either {ok: true, result, cost} or {ok: false, rule, error}. `result` is identical at the three parties
// (they run the same program on the same inputs); `cost` holds what differs (this party's traffic, time).
// Leakage: LEAKAGE.md, "Party services".
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Analysis;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Studies.Parties;

/// <summary>One study-level request of the analyst. <see cref="Op"/>: datasets, join, aggregate or end.</summary>
public sealed record PartyRequest
{
    public required string Op { get; init; }
    public JoinRequest? Join { get; init; }
    public AggregateRequest? Aggregate { get; init; }
    /// <summary>The registry's work token, where the study's parties are registry-gated (PartyGate).</summary>
    public string? Token { get; init; }
    /// <summary>The analyst's review key (P-256, base64 SubjectPublicKeyInfo): a release held for a steward's review is
    /// sealed to it (ReleaseReviews.cs).</summary>
    public string? ReviewKey { get; init; }

    public const string Datasets = "datasets", JoinOp = "join", AggregateOp = "aggregate", ExplainOp = "explain", End = "end";
}

/// <summary>A party's answer to one request.</summary>
public sealed record PartyReply
{
    public required bool Ok { get; init; }
    /// <summary>On refusal: the rule that refused (a data-use term such as AllowedAnalysts, or a protocol rule).</summary>
    public string? Rule { get; init; }
    public string? Error { get; init; }
    /// <summary>On refusal: the kind of error (PolicyException, QueryException, SchemaException, LinkageException,
    /// RangeException), or null for a protocol refusal.</summary>
    public string? Kind { get; init; }
    public JsonElement? Result { get; init; }
    public CostWire? Cost { get; init; }
    /// <summary>A progress line sent while the request runs (stage names and public numbers only: OperationProgress); the
    /// reply itself follows.</summary>
    public string? Progress { get; init; }
    /// <summary>Where this party logged the request in the registry's transparency log (registry-gated parties with a
    /// computation log); differs between the parties, like the cost.</summary>
    public LogEntryWire? LogEntry { get; init; }
    /// <summary>In place of <see cref="Result"/>: the release is held at the registry for a steward's review
    /// (ReleaseReviews.cs).</summary>
    public ReviewWire? Review { get; init; }
}

/// <summary>A party's entry in the registry's transparency log: its index and the URL of its inclusion proof.</summary>
public sealed record LogEntryWire(long Index, string Url);

/// <summary>One party's part of an operation's cost; the reveals are the same at the three.</summary>
public sealed record CostWire(long RowsUsed, long Rounds, long Bytes, double Milliseconds, IReadOnlyList<RevealWire> Reveals);

public sealed record RevealWire(RevealAudience Audience, string Purpose, int Elements);

/// <summary>A public description of a dataset a party service holds: name, released row count, columns.</summary>
public sealed record DatasetWire(string Name, int? Rows, string Description, IReadOnlyList<ColumnWire> Columns);

public sealed record ColumnWire(string Name, string Kind, IReadOnlyList<string>? Domain);

/// <summary>A release without its cost: what the three parties must agree on.</summary>
public sealed record ReleaseWire(AggregateRequest Request, StatisticFamily Family, string Query, IReadOnlyList<FrameColumnWire> Table,
                                 IReadOnlyList<string> KeyColumns, IReadOnlyList<string> ValueColumns, IReadOnlyList<string> RulesApplied,
                                 IReadOnlyList<string> Notes, double? EpsilonSpent, double? RangeMin, double? RangeMax, int Sequence,
                                 IReadOnlyList<int>? Decimals = null);

/// <summary>A DataFrame column: text (keys, status, rule) or numbers (null where suppressed).</summary>
public sealed record FrameColumnWire(string Name, IReadOnlyList<string?>? Text, IReadOnlyList<double?>? Numbers);

public sealed record JoinWire(JoinRequest Request, string Dataset, IReadOnlyList<int> InputRows, IReadOnlyList<LinkageKeyKind> Passes, string Scheme,
                              int? JoinedRows, int RoundingBase, IReadOnlyList<PassMatchCount> MatchCounts, IReadOnlyList<string> Columns, int Sequence);

public static class PartyWire
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        IgnoreReadOnlyProperties = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,                    // null where a request needs a value is malformed, not a crash
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        TypeInfoResolver = PartyWireJson.Default,              // source-generated: no reflection (trimmed apps, file-based apps)
    };

    public static byte[] Encode<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Json);

    public static T Decode<T>(byte[] frame, string what) where T : class
    {
        try { return JsonSerializer.Deserialize<T>(frame, Json) ?? throw new JsonException("empty"); }
        catch (JsonException e) { throw new PartyProtocolException("MalformedRequest", $"The {what} is not valid: {e.Message}"); }
    }

    public static CostWire Cost(OperationCost c) =>
        new(c.RowsUsed, c.Rounds, c.Bytes, c.Elapsed.TotalMilliseconds, c.Reveals.Select(r => new RevealWire(r.Audience, r.Purpose, r.Elements)).ToArray());

    /// <summary>The cost of one operation at the three parties: bytes summed, rounds and time the largest.</summary>
    public static OperationCost Combine(IReadOnlyList<CostWire> parts)
    {
        var now = DateTimeOffset.UtcNow;
        return new OperationCost(parts[0].RowsUsed, parts.Max(p => p.Rounds), parts.Sum(p => p.Bytes), TimeSpan.FromMilliseconds(parts.Max(p => p.Milliseconds)),
            parts[0].Reveals.Select(r => new RevealRecord(r.Audience, r.Purpose, r.Elements, now)).ToArray());
    }

    public static ReleaseWire ToWire(Release r) => new(r.Request, r.Family, r.Query,
        r.Table.Columns.Select(c => c is StringDataFrameColumn s
            ? new FrameColumnWire(c.Name, Enumerable.Range(0, (int)s.Length).Select(i => s[i]).ToArray(), null)
            : new FrameColumnWire(c.Name, null, Enumerable.Range(0, (int)c.Length).Select(i => c[i] is null ? (double?)null : Convert.ToDouble(c[i], System.Globalization.CultureInfo.InvariantCulture)).ToArray())).ToArray(),
        r.KeyColumns, r.ValueColumns, r.RulesApplied, r.Notes, r.EpsilonSpent, r.CovariateRange?.Min, r.CovariateRange?.Max, r.Sequence, r.Decimals);

    public static Release FromWire(ReleaseWire w, OperationCost cost) => new()
    {
        Sequence = w.Sequence, At = DateTimeOffset.UtcNow, Cost = cost, Request = w.Request, Family = w.Family, Query = w.Query,
        Table = new DataFrame(w.Table.Select(c => c.Text is not null ? (DataFrameColumn)new StringDataFrameColumn(c.Name, c.Text)
            : new DoubleDataFrameColumn(c.Name, c.Numbers ?? throw new PartyProtocolException("MalformedReply", $"Column '{c.Name}' of a release has no values.")))),
        KeyColumns = w.KeyColumns, ValueColumns = w.ValueColumns, RulesApplied = w.RulesApplied, Notes = w.Notes, EpsilonSpent = w.EpsilonSpent,
        CovariateRange = w.RangeMin is { } lo && w.RangeMax is { } hi ? (lo, hi) : null,
        Decimals = w.Decimals,
    };

    /// <summary>The SHA-256 (hex) of a release exactly as the analyst receives it (its wire form), which each compute
    /// party logs in the registry's transparency log: the analyst recomputes it from the <see cref="Release"/> it holds.</summary>
    public static string Digest(ReleaseWire w) => Convert.ToHexStringLower(SHA256.HashData(Encode(w)));

    /// <summary>The SHA-256 (hex) of a join's result as the analyst receives it (see <see cref="Digest(ReleaseWire)"/>).</summary>
    public static string Digest(JoinWire w) => Convert.ToHexStringLower(SHA256.HashData(Encode(w)));

    /// <summary>The digest the compute parties logged for <paramref name="r"/>.</summary>
    public static string Digest(Release r) => Digest(ToWire(r));

    /// <summary>The digest the compute parties logged for <paramref name="j"/>.</summary>
    public static string Digest(JoinRelease j) => Digest(ToWire(j));

    public static JoinWire ToWire(JoinRelease j) =>
        new(j.Request, j.Dataset, j.InputRows, j.Passes, j.Scheme, j.JoinedRows, j.RoundingBase, j.MatchCounts, j.Columns, j.Sequence);

    public static JoinRelease FromWire(JoinWire w, OperationCost cost) => new()
    {
        Sequence = w.Sequence, At = DateTimeOffset.UtcNow, Cost = cost, Request = w.Request, Dataset = w.Dataset, InputRows = w.InputRows,
        Passes = w.Passes, Scheme = w.Scheme, JoinedRows = w.JoinedRows, RoundingBase = w.RoundingBase, MatchCounts = w.MatchCounts,
        Columns = w.Columns, Preparation = TimeSpan.Zero,
    };
}

/// <summary>A request refused by the study-level protocol itself (malformed, unknown operation, parties disagree).</summary>
public sealed class PartyProtocolException(string rule, string message) : SmpcException(message)
{
    public string Rule { get; } = rule;
}
