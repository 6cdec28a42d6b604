// The registry's work token: a short-lived statement, signed with the registry's token key (Ed25519), that a person
// may compute on a study as analyst now — the study is in its analysis stage, the person is its analyst, under these
// approved terms versions (dataset → canonical hash), until this time. Each compute party checks it OFFLINE with the
// registry's public key pinned in its configuration (StudyTokenCheck.cs): no call to the registry per query.
//
//   smpc-token/1.<base64url(canonical JSON claims)>.<base64url(Ed25519 signature over "smpc-token/1." + claims part)>
//
// A token names its study, analyst account (the name the analyst's study certificate carries), role, stage, terms
// hashes, issue and expiry times and a unique id (for revocation lists).
using System.Globalization;
using System.Text;
using System.Text.Json;
using Smpc.Governance.Transparency;

namespace Smpc.Governance.Gating;

public sealed record StudyTokenClaims
{
    public required string Study { get; init; }
    public required string Analyst { get; init; }
    public required string Role { get; init; }
    public required string Stage { get; init; }
    public required IReadOnlyDictionary<string, string> Terms { get; init; }
    public required DateTime IssuedAt { get; init; }
    public required DateTime Expires { get; init; }
    public required string Id { get; init; }
    public string Issuer { get; init; } = "";
    public string KeyId { get; init; } = "";

    public byte[] Canonical()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("analyst", Analyst);
            w.WriteString("expires", Time(Expires));
            w.WriteString("id", Id);
            w.WriteString("issuedAt", Time(IssuedAt));
            w.WriteString("issuer", Issuer);
            w.WriteString("keyId", KeyId);
            w.WriteString("role", Role);
            w.WriteString("stage", Stage);
            w.WriteString("study", Study);
            w.WriteStartObject("terms");
            foreach (var (dataset, hash) in Terms.OrderBy(t => t.Key, StringComparer.Ordinal)) w.WriteString(dataset, hash);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return stream.ToArray();
    }

    static string Time(DateTime t) => t.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    internal static StudyTokenClaims Parse(byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        var e = doc.RootElement;
        DateTime T(string name) => DateTime.Parse(e.GetProperty(name).GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        return new StudyTokenClaims
        {
            Study = e.GetProperty("study").GetString()!, Analyst = e.GetProperty("analyst").GetString()!, Role = e.GetProperty("role").GetString()!,
            Stage = e.GetProperty("stage").GetString()!, IssuedAt = T("issuedAt"), Expires = T("expires"), Id = e.GetProperty("id").GetString()!,
            Issuer = e.GetProperty("issuer").GetString()!, KeyId = e.GetProperty("keyId").GetString()!,
            Terms = e.GetProperty("terms").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal),
        };
    }
}

public static class StudyToken
{
    public const string Prefix = "smpc-token/1.";

    public static string Issue(LogKey key, StudyTokenClaims claims)
    {
        var signed = claims with { Issuer = key.Name, KeyId = key.Public.KeyId };
        var body = Prefix + Base64Url(signed.Canonical());
        return body + "." + Base64Url(key.Sign(Encoding.ASCII.GetBytes(body)));
    }

    /// <summary>The claims, when the signature verifies with <paramref name="registry"/>; otherwise a refusal naming
    /// the rule (<c>TokenMalformed</c> or <c>TokenSignature</c>).</summary>
    public static StudyTokenClaims Open(string token, LogPublicKey registry)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal)) throw new StudyTokenRefusal("TokenMalformed", "The token is not a study token (smpc-token/1).");
        int dot = token.LastIndexOf('.');
        if (dot <= Prefix.Length) throw new StudyTokenRefusal("TokenMalformed", "The token has no signature.");
        string body = token[..dot];
        byte[] claims, signature;
        try { claims = FromBase64Url(body[Prefix.Length..]); signature = FromBase64Url(token[(dot + 1)..]); }
        catch (FormatException) { throw new StudyTokenRefusal("TokenMalformed", "The token is not base64url."); }
        if (!registry.Verify(Encoding.ASCII.GetBytes(body), signature))
            throw new StudyTokenRefusal("TokenSignature", $"The token is not signed by the registry's token key {registry}.");
        try { return StudyTokenClaims.Parse(claims); }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new StudyTokenRefusal("TokenMalformed", $"The token's claims cannot be read ({e.Message}).");
        }
    }

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }
}

/// <summary>A work token refused, with the rule that refused it.</summary>
public sealed class StudyTokenRefusal(string rule, string message) : Exception(message)
{
    public string Rule { get; } = rule;
}
