using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Smpc.Analytics.Reporting;
using Smpc.Governance.Transparency;

namespace Smpc.Cli.Study;

/// <summary>
/// The study run's transparency log: every linkage, release and refusal is appended as it happens (RFC 9162 tree, a
/// signed head per append); at the end each release carries its inclusion proof in the latest head, and the export is
/// written beside the packet. In the embedded default the run holds the log's key (a fresh one per run); a study that
/// uses a registry appends to the registry's log instead, whose heads the compute parties countersign.
/// A release's entry records the SHA-256 of its table (<see cref="TableDigest"/>), so a reviewer holding the packet
/// can tie each published table to its entry.
/// </summary>
internal sealed class StudyLog(string study)
{
    readonly TransparencyLog _log = new(LogKey.Generate($"{study}-run"));
    readonly Dictionary<string, long> _entries = [];

    public void Linkage(LinkageEntry l, DateTime time) =>
        _log.Append(LogEntryKind.Query, time, $"linkage {l.Name} of {string.Join(" × ", l.Tables)} ({l.Kind})", study, null,
            new Dictionary<string, string> { ["linkage"] = l.Name, ["joinedRows"] = l.JoinedRows?.ToString(CultureInfo.InvariantCulture) ?? "withheld" });

    public void Release(ReleaseEntry r, DateTime time)
    {
        var data = new Dictionary<string, string> { ["release"] = r.Id, ["dataset"] = r.Dataset, ["query"] = r.Query, ["rounds"] = r.Cost.Rounds.ToString(CultureInfo.InvariantCulture) };
        if (r.Outcome == ReleaseOutcome.Refused)
        {
            data["rule"] = r.RefusedBy ?? "";
            _entries[r.Id] = _log.Append(LogEntryKind.Refusal, time, $"{r.Id} {r.Title}: refused ({r.RefusedBy})", study, null, data).Entry.Index;
            return;
        }
        if (r.Table is { } t)
        {
            data["cells"] = t.Rows.Count.ToString(CultureInfo.InvariantCulture);
            data["suppressed"] = t.SuppressedCount.ToString(CultureInfo.InvariantCulture);
            data["tableSha256"] = TableDigest(t);
        }
        _entries[r.Id] = _log.Append(LogEntryKind.Release, time, $"{r.Id} {r.Title}: released", study, null, data).Entry.Index;
    }

    /// <summary>Each release with its inclusion proof in the latest head.</summary>
    public IReadOnlyList<ReleaseEntry> WithProofs(IReadOnlyList<ReleaseEntry> releases) => releases.Select(r =>
    {
        if (!_entries.TryGetValue(r.Id, out var index)) return r;
        var proof = _log.ProveInclusion(index);
        proof.Verify(_log.PublicKey);
        return r with { LogProofJson = proof.ToJson(), LogPosition = (index, proof.Head.Size) };
    }).ToList();

    public string ExportJson() => _log.Export().ToJson();

    /// <summary>SHA-256 (hex) of a table: per row, the keys joined by U+001F, U+001E, then each value in round-trip
    /// form ("R", invariant; empty for none) joined by U+001F, or "suppressed:" and the rule; rows end with U+001D.</summary>
    public static string TableDigest(ReportTable t)
    {
        var sb = new StringBuilder();
        foreach (var row in t.Rows)
        {
            sb.Append(string.Join('\u001f', row.Keys)).Append('\u001e');
            if (row.Values is { } values) sb.Append(string.Join('\u001f', values.Select(v => v?.ToString("R", CultureInfo.InvariantCulture) ?? "")));
            else sb.Append("suppressed:").Append(row.SuppressedBy);
            sb.Append('\u001d');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}
