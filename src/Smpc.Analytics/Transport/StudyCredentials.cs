// Certificate validation for a study: the study CA is the only trust anchor.
// Reference: RFC 5280 §6 (path validation), RFC 8446 §4.4.2 (TLS 1.3 certificate messages, mutual auth).
// A presented certificate is accepted only if it chains to the study CA (custom root trust; the system
// store is never consulted), is within its validity period, is not on the study's revocation list (study.json
// 'revokedCertificates', by serial number or SHA-256 fingerprint), names this study as its organisation and names a
// known member (party-0..2, the analyst or a contributor). Callers then check that the member is the one they expected.
// Each refusal says which rule failed (not issued by this study's CA, expired, not yet valid, revoked with the reason).
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Smpc.Analytics.Session;

namespace Smpc.Analytics.Transport;

/// <summary>One study member's own certificate and key, plus the study CA used to check peers.</summary>
public sealed class StudyCredentials : IDisposable
{
    readonly X509Certificate2 _authority;
    readonly SslStreamCertificateContext _context;
    readonly IReadOnlyList<RevokedCertificateConfig> _revoked;

    StudyCredentials(string study, StudyMember self, X509Certificate2 certificate, X509Certificate2 authority, IReadOnlyList<RevokedCertificateConfig> revoked)
    {
        _revoked = revoked;
        Study = study;
        Self = self;
        Certificate = certificate;
        _authority = authority;
        _context = SslStreamCertificateContext.Create(certificate, [authority], offline: true);
    }

    public string Study { get; }
    public StudyMember Self { get; }
    public X509Certificate2 Certificate { get; }

    /// <summary>Loads <paramref name="self"/>'s certificate and key and the study CA named in <paramref name="config"/>,
    /// and checks that the certificate is the study's certificate of that member.</summary>
    public static StudyCredentials Load(StudyConfig config, StudyMember self)
    {
        var (certPath, keyPath) = self.IsContributor
            ? (config.Resolve(config.Contributor(self.Contributor!).Certificate), config.Resolve(config.Contributor(self.Contributor!).Key))
            : self.IsAnalyst
            ? (config.Resolve(config.Analyst.Certificate), config.Resolve(config.Analyst.Key))
            : (config.Resolve(config.Party(self.PartyId).Certificate), config.Resolve(config.Party(self.PartyId).Key));
        return Load(config.Study, self, config.Resolve(config.Ca), certPath, keyPath, config.RevokedCertificates);
    }

    /// <summary>Loads credentials from PEM files; <paramref name="revoked"/> is the study's revocation list.</summary>
    public static StudyCredentials Load(string study, StudyMember self, string caPath, string certificatePath, string keyPath,
        IReadOnlyList<RevokedCertificateConfig>? revoked = null)
    {
        foreach (var (path, what) in new[] { (caPath, "study CA certificate"), (certificatePath, $"certificate of {self}"), (keyPath, $"private key of {self}") })
            if (!File.Exists(path)) throw new SmpcException($"The {what} '{path}' does not exist.");
        X509Certificate2 authority, certificate;
        try
        {
            authority = X509Certificate2.CreateFromPem(File.ReadAllText(caPath));
            certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new SmpcException($"Cannot load the credentials of {self} ('{certificatePath}', '{keyPath}', CA '{caPath}'): {e.Message}", e);
        }
        var credentials = new StudyCredentials(study, self, certificate, authority, revoked ?? []);
        if (!credentials.TryIdentify(certificate, out var member, out var error))
            throw new CertificateRefusedException($"'{certificatePath}' cannot be used by {self}: {error}");
        if (member != self)
            throw new CertificateRefusedException($"'{certificatePath}' is the certificate of {member}, not of {self}.");
        return credentials;
    }

    /// <summary>Checks a presented certificate against the study; on success says whose it is.</summary>
    public bool TryIdentify(X509Certificate? presented, out StudyMember member, out string error) =>
        TryIdentify(presented, out member, out error, out _);

    /// <summary>As <see cref="TryIdentify(X509Certificate?, out StudyMember, out string)"/>; <paramref name="issuedTo"/> also
    /// names the member of a certificate that this study's CA did issue but that is refused (expired, not yet valid,
    /// revoked), so a listener can tell which expected peer it has to give up on.</summary>
    internal bool TryIdentify(X509Certificate? presented, out StudyMember member, out string error, out StudyMember? issuedTo)
    {
        member = default;
        issuedTo = null;
        if (presented is null) { error = "no certificate was presented"; return false; }
        using var cert = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;   // the study's own list is checked below
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;   // validity is checked below, with its own reason
        if (!chain.Build(cert))
        {
            var status = string.Join(", ", chain.ChainStatus.Select(s => s.Status).Distinct());
            error = $"the certificate '{cert.Subject}' is not issued by study '{Study}''s certificate authority ({status})";
            return false;
        }
        var root = chain.ChainElements[^1].Certificate;
        if (!root.RawDataMemory.Span.SequenceEqual(_authority.RawDataMemory.Span))
        {
            error = $"the certificate '{cert.Subject}' chains to '{root.Subject}', not to study '{Study}''s certificate authority";
            return false;
        }
        var org = cert.SubjectName.EnumerateRelativeDistinguishedNames().FirstOrDefault(n => n.GetSingleElementType().Value == "2.5.4.10")?.GetSingleElementValue();
        if (org != Study) { error = $"the certificate '{cert.Subject}' is for study '{org}', not '{Study}'"; return false; }
        var cn = cert.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        var who = StudyMember.FromCommonName(cn);
        if (who is null) { error = $"the certificate '{cert.Subject}' names '{cn}', which is neither a compute party (party-0..2), the analyst nor a contributor (contributor-NAME)"; return false; }
        issuedTo = who;
        var now = DateTime.UtcNow;
        if (_authority.NotAfter.ToUniversalTime() < now) { error = $"study '{Study}''s certificate authority expired on {_authority.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC"; return false; }
        if (cert.NotAfter.ToUniversalTime() < now) { error = $"the certificate '{cert.Subject}' (serial {cert.SerialNumber}) expired on {cert.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC"; return false; }
        if (cert.NotBefore.ToUniversalTime() > now) { error = $"the certificate '{cert.Subject}' (serial {cert.SerialNumber}) is not valid before {cert.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC"; return false; }
        if (_revoked.FirstOrDefault(r => r.Matches(cert)) is { } revoked)
        {
            error = $"the certificate '{cert.Subject}' (serial {cert.SerialNumber}) is revoked by study '{Study}': {revoked.Reason}";
            return false;
        }
        member = who.Value;
        error = "";
        return true;
    }

    /// <summary>The private key of this member's certificate as the ECDSA private scalar (for deriving local keys,
    /// e.g. a party's store encryption key); the caller must clear it after use.</summary>
    public byte[] PrivateScalar()
    {
        using var key = Certificate.GetECDsaPrivateKey() ?? throw new SmpcException($"The certificate of {Self} has no ECDSA private key.");
        return key.ExportParameters(includePrivateParameters: true).D!;
    }

    internal SslServerAuthenticationOptions ServerOptions(RemoteCertificateValidationCallback check) => new()
    {
        ServerCertificateContext = _context,
        ClientCertificateRequired = true,
        EnabledSslProtocols = SslProtocols.Tls13,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        RemoteCertificateValidationCallback = check,
    };

    internal SslClientAuthenticationOptions ClientOptions(RemoteCertificateValidationCallback check) => new()
    {
        TargetHost = "",   // no SNI: the study name and party id are not sent in the clear (peers are checked by certificate, not host name)
        ClientCertificateContext = _context,
        EnabledSslProtocols = SslProtocols.Tls13,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        RemoteCertificateValidationCallback = check,
    };

    public void Dispose()
    {
        Certificate.Dispose();
        _authority.Dispose();
    }
}
