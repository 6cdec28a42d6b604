// Certificate renewal: the study CA issues a member a new certificate (new serial, new validity) for the key pair it
// already holds, so nothing that depends on the key changes — a party's store key is derived from its private key
// (Studies/Store/StoreKey.cs), so a renewed party keeps its store. With newKey the member gets a fresh key pair instead
// (after a key compromise; a party must then contribute its datasets again into a fresh store). The old certificate is
// kept beside the new one as NAME.crt.SERIAL.old; list its serial in study.json's revokedCertificates to refuse it
// before it expires. Needs the study CA's key (ca.key next to ca.crt, as `smpc certs` writes it).
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smpc.Analytics.Session;

namespace Smpc.Analytics.Transport;

public static partial class StudyCertificates
{
    /// <summary>What a renewal did: the member, the old and new certificates' serial numbers (hex) and the new expiry.</summary>
    public sealed record Renewal(StudyMember Member, string OldSerial, string NewSerial, DateTime NotAfter, bool NewKey, string OldCertificate);

    /// <summary>Renews <paramref name="member"/>'s certificate in the folder of <paramref name="config"/> (see the file header).</summary>
    public static Renewal Renew(StudyConfig config, StudyMember member, TimeSpan? validity = null, bool newKey = false)
    {
        var (certPath, keyPath) = Paths(config, member);
        var caPath = config.Resolve(config.Ca);
        var caKeyPath = Path.Combine(Path.GetDirectoryName(caPath)!, "ca.key");
        if (!File.Exists(caKeyPath)) throw new SmpcException($"Renewing a certificate needs the study CA's key '{caKeyPath}'.");
        if (!File.Exists(certPath)) throw new SmpcException($"{member.CommonName} has no certificate to renew at '{certPath}'.");
        using var caKey = ECDsa.Create();
        caKey.ImportFromPem(File.ReadAllText(caKeyPath));
        using var caPublic = X509CertificateLoader.LoadCertificateFromFile(caPath);
        using var ca = caPublic.CopyWithPrivateKey(caKey);
        using var old = X509CertificateLoader.LoadCertificateFromFile(certPath);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (!newKey)
        {
            using var held = ECDsa.Create();
            held.ImportFromPem(File.ReadAllText(keyPath));
            key.ImportParameters(held.ExportParameters(includePrivateParameters: true));
        }
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = notBefore + (validity ?? TimeSpan.FromDays(365));
        if (notAfter > ca.NotAfter) notAfter = ca.NotAfter;
        using var cert = CreateMember(config.Study, member, key, ca, notBefore, notAfter);

        string kept = $"{certPath}.{old.SerialNumber}.old";
        File.Copy(certPath, kept, overwrite: true);
        var dir = Path.GetDirectoryName(certPath)!;
        WritePem(dir, Path.GetFileName(certPath), cert.ExportCertificatePem(), secret: false);
        if (newKey) WritePem(dir, Path.GetFileName(keyPath), key.ExportPkcs8PrivateKeyPem(), secret: true);
        return new Renewal(member, old.SerialNumber, cert.SerialNumber, cert.NotAfter.ToUniversalTime(), newKey, kept);
    }

    static (string Certificate, string Key) Paths(StudyConfig config, StudyMember member)
    {
        if (member.IsAnalyst) return (config.Resolve(config.Analyst.Certificate), config.Resolve(config.Analyst.Key));
        if (member.IsContributor)
        {
            var c = config.Contributors.FirstOrDefault(c => c.Name == member.Contributor)
                ?? throw new SmpcException($"study.json has no contributor '{member.Contributor}'.");
            return (config.Resolve(c.Certificate), config.Resolve(c.Key));
        }
        var p = config.Parties.Single(p => p.Id == member.PartyId);
        return (config.Resolve(p.Certificate), config.Resolve(p.Key));
    }
}
