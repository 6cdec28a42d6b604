// One entry of the transparency log: what happened (sign-in, role change, terms version, approval, commitment, state
// transition, upload receipt, query, release, refusal, budget spend, attestation), when, in which study, by whom.
// The leaf the Merkle tree hashes is the entry's canonical JSON (fixed member order, data keys sorted ordinally,
// no whitespace, UTF-8), so any change of any field changes the leaf hash. Entries carry hashes and names, never
// rows, shares or identifiers.
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Smpc.Governance.Transparency;

public enum LogEntryKind
{
    SignIn, RoleChange, Account, Dataset, TermsVersion, Approval, Commitment, Transition, UploadReceipt,
    Query, Release, Refusal, BudgetSpend, Attestation, WorkToken, ReleaseReview,
}

public sealed record LogEntry
{
    public required long Index { get; init; }
    public required DateTime Time { get; init; }
    public required LogEntryKind Kind { get; init; }
    public string? Study { get; init; }
    public string? Actor { get; init; }
    public required string Summary { get; init; }
    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();

    /// <summary>The canonical bytes the log hashes as this entry's leaf.</summary>
    public byte[] Canonical()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream)) Write(w);
        return stream.ToArray();
    }

    public byte[] LeafHash() => MerkleTree.LeafHash(Canonical());

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteNumber("index", Index);
        w.WriteString("time", Time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture));
        w.WriteString("kind", Kind.ToString());
        if (Study is not null) w.WriteString("study", Study);
        if (Actor is not null) w.WriteString("actor", Actor);
        w.WriteString("summary", Summary);
        w.WriteStartObject("data");
        foreach (var (key, value) in Data.OrderBy(p => p.Key, StringComparer.Ordinal)) w.WriteString(key, value);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Reads an entry written by <see cref="Write"/>; <paramref name="where"/> names it in errors.</summary>
    public static LogEntry Read(JsonElement e, string where)
    {
        try
        {
            var kindText = e.GetProperty("kind").GetString();
            if (!Enum.TryParse<LogEntryKind>(kindText, ignoreCase: false, out var kind))
                throw new LogFormatException($"{where}: unknown entry kind '{kindText}'.");
            var data = new Dictionary<string, string>(StringComparer.Ordinal);
            if (e.TryGetProperty("data", out var d))
                foreach (var p in d.EnumerateObject()) data[p.Name] = p.Value.GetString() ?? "";
            return new LogEntry
            {
                Index = e.GetProperty("index").GetInt64(),
                Time = DateTime.Parse(e.GetProperty("time").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                Kind = kind,
                Study = e.TryGetProperty("study", out var s) ? s.GetString() : null,
                Actor = e.TryGetProperty("actor", out var a) ? a.GetString() : null,
                Summary = e.GetProperty("summary").GetString() ?? "",
                Data = data,
            };
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new LogFormatException($"{where}: not a log entry ({ex.Message}).");
        }
    }

    public override string ToString() => $"entry {Index} ({Kind}{(Study is null ? "" : $", study {Study}")}, {Time:yyyy-MM-dd HH:mm:ss}Z: {Summary})";
}

/// <summary>A log file or proof that cannot be read as one.</summary>
public sealed class LogFormatException(string message) : Exception(message);

internal static class Hex
{
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    public static byte[] Parse(string? text, string what)
    {
        try { return Convert.FromHexString(text ?? throw new FormatException("missing")); }
        catch (FormatException) { throw new LogFormatException($"{what} is not hexadecimal."); }
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
