using System.Text.Json.Nodes;

namespace Smpc.Governance;

/// <summary>Field-level difference between two canonical terms documents, so a steward re-approving sees exactly
/// what changed (e.g. <c>minCellSize: 20 -> 11</c>, <c>allowedOperations: +quantile</c>).</summary>
public static class TermsDiff
{
    public static IReadOnlyList<TermsChange> Between(string beforeCanonicalJson, string afterCanonicalJson)
    {
        var changes = new List<TermsChange>();
        Walk("", JsonNode.Parse(beforeCanonicalJson), JsonNode.Parse(afterCanonicalJson), changes);
        return changes;
    }

    static void Walk(string path, JsonNode? before, JsonNode? after, List<TermsChange> changes)
    {
        if (before is JsonObject b && after is JsonObject a)
        {
            foreach (var key in b.Select(p => p.Key).Union(a.Select(p => p.Key)).Order(StringComparer.Ordinal))
                Walk(path.Length == 0 ? key : $"{path}.{key}", b[key], a[key], changes);
            return;
        }
        if (before is JsonArray ba && after is JsonArray aa)
        {
            var bs = ba.Select(Text).ToList();
            var @as = aa.Select(Text).ToList();
            var added = @as.Except(bs).ToList();
            var removed = bs.Except(@as).ToList();
            if (added.Count + removed.Count > 0) changes.Add(new TermsChange(path, null, null, added, removed));
            else if (!bs.SequenceEqual(@as)) changes.Add(new TermsChange(path, before.ToJsonString(), after.ToJsonString(), [], []));
            return;
        }
        string? bt = before?.ToJsonString(), at = after?.ToJsonString();
        if (bt != at) changes.Add(new TermsChange(path, bt, at, [], []));
    }

    static string Text(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n?.ToJsonString() ?? "null";
}
