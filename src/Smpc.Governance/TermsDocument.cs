using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Smpc.Governance.DataUse;

namespace Smpc.Governance;

/// <summary>
/// The canonical form of <see cref="DataUseTerms"/> that a terms version is identified by: the terms serialised with
/// <see cref="DataUseTerms.Json"/> (camelCase names, nulls left out), then every object's members sorted by name
/// (ordinal), no whitespace, strings escaped minimally (in the spirit of RFC 8785, JSON Canonicalization Scheme).
/// Two files that differ only in member order or spacing give the same canonical JSON and the same SHA-256.
/// </summary>
public static class TermsDocument
{
    static readonly JsonSerializerOptions Compact = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Validates the terms (<see cref="DataUseTerms.Validate"/>) and returns their canonical JSON.</summary>
    public static string Canonical(DataUseTerms terms)
    {
        terms.Validate();
        var node = JsonSerializer.SerializeToNode(terms, DataUseTerms.Json) ?? throw new InvalidOperationException("Terms serialised to null.");
        return Sort(node)!.ToJsonString(Compact);
    }

    /// <summary>Lower-case hex SHA-256 of the canonical JSON in UTF-8.</summary>
    public static string Hash(string canonicalJson) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalJson)));

    public static DataUseTerms Parse(string json) =>
        JsonSerializer.Deserialize<DataUseTerms>(json, DataUseTerms.Json) ?? throw new JsonException("Terms JSON is null.");

    static JsonNode? Sort(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sort(p.Value?.DeepClone())))),
        JsonArray a => new JsonArray(a.Select(e => Sort(e?.DeepClone())).ToArray()),
        _ => node?.DeepClone(),
    };
}
