// Named analyst certificates: the study CA issues an analyst certificate that carries the analyst's account in the
// subject's UID attribute (CN = analyst, OU = analyst, O = study, UID = account). The party services read the account
// from the certificate (AnalystLink.AccountOf) and check it against the data-use terms' AllowedAnalysts, so the
// analyst is who its certificate proves. Needs the study CA's key (ca.key next to ca.crt, as `smpc certs` writes it).
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Smpc.Analytics.Session;

namespace Smpc.Analytics.Transport;

public static partial class StudyCertificates
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$")]
    private static partial Regex AccountName();

    /// <summary>
    /// Issues an analyst certificate for <paramref name="account"/> signed by the study CA of <paramref name="config"/>,
    /// writes <c>analyst-ACCOUNT.crt</c>/<c>.key</c> into <paramref name="directory"/> and returns the config that uses it.
    /// </summary>
    public static StudyConfig IssueAnalyst(StudyConfig config, string account, string directory, TimeSpan? validity = null)
    {
        if (account is null || !AccountName().IsMatch(account))
            throw new SmpcException($"Analyst account '{account}' is not allowed: use 1–128 letters, digits, '.', '_', '@' or '-'.");
        var caKeyPath = Path.Combine(Path.GetDirectoryName(config.Resolve(config.Ca))!, "ca.key");
        if (!File.Exists(caKeyPath)) throw new SmpcException($"Issuing an analyst certificate needs the study CA's key '{caKeyPath}'.");
        using var caKey = ECDsa.Create();
        caKey.ImportFromPem(File.ReadAllText(caKeyPath));
        using var caPublic = X509CertificateLoader.LoadCertificateFromFile(config.Resolve(config.Ca));
        using var ca = caPublic.CopyWithPrivateKey(caKey);
        Directory.CreateDirectory(directory);
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = notBefore + (validity ?? TimeSpan.FromDays(365));
        if (notAfter > ca.NotAfter) notAfter = ca.NotAfter;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName(StudyMember.Analyst.CommonName);
        name.Add(AnalystLink.AccountOid, account, UniversalTagNumber.UTF8String);
        name.AddOrganizationalUnitName("analyst");
        name.AddOrganizationName(config.Study);
        var request = new CertificateRequest(name.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2", "Client Authentication")], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var cert = request.Create(ca, notBefore, notAfter, serial);
        string file = $"analyst-{account}";
        WritePem(directory, file + ".crt", cert.ExportCertificatePem(), secret: false);
        WritePem(directory, file + ".key", key.ExportPkcs8PrivateKeyPem(), secret: true);
        return config with { Analyst = new AnalystConfig(Path.GetFullPath(Path.Combine(directory, file + ".crt")), Path.GetFullPath(Path.Combine(directory, file + ".key"))) };
    }
}
