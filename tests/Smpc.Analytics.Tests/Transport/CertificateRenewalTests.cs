using System.Security.Cryptography.X509Certificates;
using Smpc.Analytics.Session;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Tests.Transport;

/// <summary>Renewing a member's certificate with the study CA (<see cref="StudyCertificates.Renew"/>): a new serial
/// and validity for the same key (so a party keeps its store key), or a fresh key pair; the old certificate kept aside
/// and refusable through study.json's revocation list.</summary>
public sealed class CertificateRenewalTests
{
    [Fact]
    public void A_renewed_party_certificate_keeps_its_key_chains_to_the_CA_and_the_old_one_can_be_revoked()
    {
        using var study = new TlsTestStudy("renew-test");
        var member = StudyMember.Party(1);
        var keyPath = study.Config.Resolve(study.Config.Parties[1].Key);
        var keyBefore = File.ReadAllText(keyPath);
        using var before = study.Credentials(member);
        using var analyst = study.Credentials(StudyMember.Analyst);

        var renewal = StudyCertificates.Renew(study.Config, member, TimeSpan.FromDays(30));

        using var after = study.Credentials(member);
        Assert.NotEqual(before.Certificate.SerialNumber, after.Certificate.SerialNumber);
        Assert.Equal(renewal.OldSerial, before.Certificate.SerialNumber);
        Assert.Equal(renewal.NewSerial, after.Certificate.SerialNumber);
        Assert.Equal(keyBefore, File.ReadAllText(keyPath));                                        // the key file is untouched
        Assert.Equal(before.Certificate.GetECDsaPublicKey()!.ExportSubjectPublicKeyInfo(), after.Certificate.GetECDsaPublicKey()!.ExportSubjectPublicKeyInfo());
        Assert.InRange(after.Certificate.NotAfter.ToUniversalTime(), DateTime.UtcNow.AddDays(29), DateTime.UtcNow.AddDays(31));
        Assert.True(analyst.TryIdentify(after.Certificate, out var who, out var error), error);   // chains to the study CA, names party 1
        Assert.Equal(1, who.PartyId);
        Assert.True(File.Exists(renewal.OldCertificate));

        // The old certificate, listed in study.json's revocation list by the serial the renewal printed, is refused; the new one is not.
        var revoked = new RevokedCertificateConfig("superseded") { Serial = renewal.OldSerial };
        Assert.True(revoked.Matches(before.Certificate));
        Assert.False(revoked.Matches(after.Certificate));
    }

    [Fact]
    public void With_a_new_key_the_key_file_changes_and_members_without_a_certificate_are_refused()
    {
        using var study = new TlsTestStudy("renew-key");
        var keyPath = study.Config.Resolve(study.Config.Analyst.Key);
        var keyBefore = File.ReadAllText(keyPath);
        using var before = study.Credentials(StudyMember.Analyst);
        var renewal = StudyCertificates.Renew(study.Config, StudyMember.Analyst, newKey: true);
        using var after = study.Credentials(StudyMember.Analyst);
        Assert.True(renewal.NewKey);
        Assert.NotEqual(keyBefore, File.ReadAllText(keyPath));
        Assert.NotEqual(before.Certificate.GetECDsaPublicKey()!.ExportSubjectPublicKeyInfo(), after.Certificate.GetECDsaPublicKey()!.ExportSubjectPublicKeyInfo());
        Assert.Contains("no contributor 'nobody'", Assert.Throws<SmpcException>(() => StudyCertificates.Renew(study.Config, StudyMember.ContributorNamed("nobody"))).Message);
        File.Delete(Path.Combine(study.Directory, "ca.key"));
        Assert.Contains("needs the study CA's key", Assert.Throws<SmpcException>(() => StudyCertificates.Renew(study.Config, StudyMember.Party(0))).Message);
    }
}
