using System.Security.Cryptography.X509Certificates;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Tests.Transport;

/// <summary>Named analyst certificates: issued by the study CA with the account in the subject's UID, recognised as the
/// analyst by every party, the account read back from the certificate alone; bad account names and a missing CA key refused.</summary>
public sealed class AnalystCertificateTests
{
    [Fact]
    public void An_issued_analyst_certificate_carries_its_account_and_chains_to_the_study_CA()
    {
        using var study = new TlsTestStudy("named-analysts");
        var config = StudyCertificates.IssueAnalyst(study.Config, "ana.lopez@stats", Path.Combine(study.Directory, "ana"));
        using var ana = StudyCredentials.Load(config, StudyMember.Analyst);
        using var party = study.Credentials(StudyMember.Party(1));
        using var anonymous = study.Credentials(StudyMember.Analyst);

        Assert.True(party.TryIdentify(ana.Certificate, out var member, out var error), error);
        Assert.True(member.IsAnalyst);
        Assert.Equal("ana.lopez@stats", AnalystLink.AccountOf(ana.Certificate));
        Assert.Equal("analyst", AnalystLink.AccountOf(anonymous.Certificate));             // the study's default certificate names no account
        Assert.Equal("analyst", ana.Certificate.GetNameInfo(X509NameType.SimpleName, false));
        Assert.True(ana.Certificate.NotAfter <= X509CertificateLoader.LoadCertificateFromFile(study.Config.Resolve(study.Config.Ca)).NotAfter);
    }

    [Fact]
    public void Bad_account_names_and_a_missing_CA_key_are_refused()
    {
        using var study = new TlsTestStudy("named-analysts");
        var e = Assert.Throws<SmpcException>(() => StudyCertificates.IssueAnalyst(study.Config, "ana, O=other", Path.Combine(study.Directory, "x")));
        Assert.Contains("is not allowed", e.Message);
        Assert.Throws<SmpcException>(() => StudyCertificates.IssueAnalyst(study.Config, "", Path.Combine(study.Directory, "x")));
        File.Delete(Path.Combine(study.Directory, "ca.key"));
        e = Assert.Throws<SmpcException>(() => StudyCertificates.IssueAnalyst(study.Config, "ana", Path.Combine(study.Directory, "x")));
        Assert.Contains("ca.key", e.Message);
        Assert.False(Directory.Exists(Path.Combine(study.Directory, "x")));
    }
}
