// What a compute party checks of a work token before it runs anything, offline: the registry's signature (key pinned
// in the party's configuration), the study, the analyst (the token's analyst must be the account the analyst's TLS
// certificate proves), the role and stage, the expiry (with a small allowance for clock skew), the terms versions
// (every dataset the request touches must be approved at exactly the hash the party holds), and the revocation list.
// Each refusal names its rule.
using Smpc.Governance.Transparency;

namespace Smpc.Governance.Gating;

public sealed record StudyTokenCheck
{
    public required LogPublicKey Registry { get; init; }
    public required string Study { get; init; }
    /// <summary>Token ids revoked (from the study's configuration or the registry's list).</summary>
    public IReadOnlySet<string> Revoked { get; init; } = new HashSet<string>();
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>The longest lifetime a token may claim; longer ones are refused (a token is short-lived).</summary>
    public TimeSpan MaxLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <param name="analystAccount">The account the analyst's certificate proves.</param>
    /// <param name="datasets">Each dataset the request touches → the canonical terms hash this party holds for it.</param>
    public StudyTokenClaims Check(string token, string analystAccount, IReadOnlyDictionary<string, string> datasets, DateTime now)
    {
        var c = StudyToken.Open(token, Registry);
        if (c.Study != Study) throw new StudyTokenRefusal("TokenStudy", $"The token is for study '{c.Study}', not '{Study}'.");
        if (Revoked.Contains(c.Id)) throw new StudyTokenRefusal("TokenRevoked", $"Token {c.Id} has been revoked.");
        if (c.Analyst != analystAccount) throw new StudyTokenRefusal("TokenAnalyst", $"The token was issued to '{c.Analyst}', but the connection's certificate is '{analystAccount}'.");
        if (c.Role != "analyst") throw new StudyTokenRefusal("TokenRole", $"The token's role is '{c.Role}'; computing needs 'analyst'.");
        if (c.Stage != "Analysis") throw new StudyTokenRefusal("StudyStage", $"The token was issued in stage '{c.Stage}'; computing needs the analysis stage.");
        if (c.Expires - c.IssuedAt > MaxLifetime) throw new StudyTokenRefusal("TokenLifetime", $"The token claims a lifetime of {c.Expires - c.IssuedAt}, more than {MaxLifetime}.");
        if (now > c.Expires + ClockSkew) throw new StudyTokenRefusal("TokenExpired", $"The token expired at {c.Expires:yyyy-MM-dd HH:mm:ss}Z.");
        if (now + ClockSkew < c.IssuedAt) throw new StudyTokenRefusal("TokenNotYetValid", $"The token is valid from {c.IssuedAt:yyyy-MM-dd HH:mm:ss}Z.");
        foreach (var (dataset, hash) in datasets)
        {
            if (!c.Terms.TryGetValue(dataset, out var approved))
                throw new StudyTokenRefusal("TermsNotApproved", $"The token covers no approved terms of '{dataset}'.");
            if (approved != hash)
                throw new StudyTokenRefusal("TermsVersion", $"The approved terms of '{dataset}' (sha256 {approved[..Math.Min(12, approved.Length)]}…) are not the terms this party holds (sha256 {hash[..Math.Min(12, hash.Length)]}…).");
        }
        return c;
    }
}
