// Study certificates: a study certificate authority (CA) and one certificate per member.
// Reference: RFC 5280 (X.509 profile: §4.2.1.9 basic constraints, §4.2.1.3 key usage, §4.2.1.12 extended
// key usage, §4.2.1.6 subject alternative name); keys are ECDSA over P-256 (FIPS 186-4) signed with SHA-256.
// Each study has its own CA, generated here, so a certificate of another study (or a public CA) is never
// trusted: validation (StudyCredentials) uses the study CA as its only root.
// Subject: CN = party-0 | party-1 | party-2 | analyst | contributor-NAME, O = study name, OU = role;
// SAN DNS = <cn>.<study>.smpc. A contributor certificate proves who uploads a dataset; the parties' store services
// accept only those (never the analyst or a party) on their upload port.
// Contributors also receive contributors.key: the study's keyed-hash pseudonymisation key (32 random bytes, hex),
// shared by the contributors so their pseudonyms match, and never given to a compute party.
// The CA key is written next to the certificates so a coordinator can issue replacements; in a real
// deployment it stays offline with the coordinator and each party receives only its own key.
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Smpc.Analytics.Session;

namespace Smpc.Analytics.Transport;

public static partial class StudyCertificates
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex StudyName();

    /// <summary>Checks a study name (letters, digits, '.', '_', '-'; 1–64 characters).</summary>
    public static void CheckStudyName(string study)
    {
        if (study is null || !StudyName().IsMatch(study))
            throw new SmpcException($"Study name '{study}' is not allowed: use 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
    }

    /// <summary>
    /// Generates a study CA and certificates for parties 0–2 and the analyst, writes them as PEM files into
    /// <paramref name="directory"/> with a <c>study.json</c> listing the parties at <paramref name="host"/>
    /// on <paramref name="ports"/>, and returns that config. Private keys are written readable by the owner only.
    /// </summary>
    public static StudyConfig Create(string study, string directory, IReadOnlyList<int> ports, string host = "127.0.0.1", TimeSpan? validity = null,
        IReadOnlyList<string>? contributors = null, IReadOnlyList<int>? uploadPorts = null)
    {
        contributors ??= [];
        foreach (var c in contributors) StudyMember.CheckContributorName(c);
        if (contributors.Distinct().Count() != contributors.Count) throw new SmpcException($"A contributor is named twice: {string.Join(", ", contributors)}.");
        if (uploadPorts is not null && uploadPorts.Count != 3) throw new SmpcException($"Three upload ports are needed (one per compute party); got {uploadPorts.Count}.");
        uploadPorts ??= contributors.Count > 0 ? [.. ports.Select(p => p + 100)] : null;
        CheckStudyName(study);
        if (ports.Count != 3) throw new SmpcException($"Three ports are needed (one per compute party); got {ports.Count}.");
        foreach (var port in ports)
            if (port is < 1 or > 65535) throw new SmpcException($"Port {port} is outside 1..65535.");
        if (ports.Distinct().Count() != 3 && (host == "127.0.0.1" || host == "localhost"))
            throw new SmpcException($"The three parties share host {host}, so they need three different ports; got {string.Join(", ", ports)}.");
        Directory.CreateDirectory(directory);
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = notBefore + (validity ?? TimeSpan.FromDays(365));

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ca = CreateAuthority(study, caKey, notBefore, notAfter);
        WritePem(directory, "ca.crt", ca.ExportCertificatePem(), secret: false);
        WritePem(directory, "ca.key", caKey.ExportPkcs8PrivateKeyPem(), secret: true);

        var members = new[] { StudyMember.Party(0), StudyMember.Party(1), StudyMember.Party(2), StudyMember.Analyst }
            .Concat(contributors.Select(StudyMember.ContributorNamed)).ToArray();
        foreach (var member in members)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var cert = CreateMember(study, member, key, ca, notBefore, notAfter);
            WritePem(directory, member.CommonName + ".crt", cert.ExportCertificatePem(), secret: false);
            WritePem(directory, member.CommonName + ".key", key.ExportPkcs8PrivateKeyPem(), secret: true);
        }

        if (contributors.Count > 0)
            WritePem(directory, "contributors.key", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), secret: true);
        var config = new StudyConfig(study, "ca.crt",
            [.. Enumerable.Range(0, 3).Select(i => new PartyEndpointConfig(i, host, ports[i], $"party-{i}.crt", $"party-{i}.key") { UploadPort = uploadPorts?[i] })],
            new AnalystConfig("analyst.crt", "analyst.key"))
        {
            BaseDirectory = Path.GetFullPath(directory),
            Contributors = [.. contributors.Select(c => new ContributorConfig(c, $"contributor-{c}.crt", $"contributor-{c}.key"))],
            ContributorKey = contributors.Count > 0 ? "contributors.key" : null,
        };
        config.Save(Path.Combine(directory, "study.json"));
        return config;
    }

    static X509Certificate2 CreateAuthority(string study, ECDsa key, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName($"{study} study CA");
        name.AddOrganizationName(study);
        var request = new CertificateRequest(name.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(notBefore, notAfter);
    }

    static X509Certificate2 CreateMember(string study, StudyMember member, ECDsa key, X509Certificate2 ca, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName(member.CommonName);
        name.AddOrganizationalUnitName(member.IsContributor ? "contributor" : member.IsAnalyst ? "analyst" : "compute party");
        name.AddOrganizationName(study);
        var request = new CertificateRequest(name.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication"), new Oid("1.3.6.1.5.5.7.3.2", "Client Authentication")], critical: false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName($"{member.CommonName}.{study}.smpc".ToLowerInvariant());
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;   // positive serial number (RFC 5280 §4.1.2.2)
        return request.Create(ca, notBefore, notAfter, serial);
    }

    static void WritePem(string directory, string file, string pem, bool secret)
    {
        var path = Path.Combine(directory, file);
        File.WriteAllText(path, pem + "\n");
        if (secret && !OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
