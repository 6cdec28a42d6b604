namespace Smpc.Registry.Data;

/// <summary>
/// An organisation's own OpenID Connect identity provider: its people may sign in through it ("Sign in with …"). An
/// account is linked by the provider's verified email and this organisation; nobody of another organisation can sign in
/// through it. The client secret is stored encrypted with the registry's data-protection keys.
/// </summary>
public sealed class OrganisationSignIn
{
    public Guid OrganisationId { get; set; }

    /// <summary>Shown on the sign-in page: "Sign in with {DisplayName}".</summary>
    public required string DisplayName { get; set; }

    /// <summary>The issuer URL; its <c>/.well-known/openid-configuration</c> is read. HTTPS, except on loopback.</summary>
    public required string Authority { get; set; }

    public required string ClientId { get; set; }

    /// <summary>The client secret, protected with the registry's data-protection keys (never in plain text).</summary>
    public string? ProtectedClientSecret { get; set; }

    public DateTime UpdatedAt { get; set; }
}
