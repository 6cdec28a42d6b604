// When the registry issues a work token, and what it says: only to the study's analyst, only in the analysis stage,
// only while no dataset's terms have expired and every dataset's current terms are approved; the token lists each
// dataset's approved terms hash and lives at most `lifetime`, never past the earliest terms expiry. Each refusal names
// the unmet criterion. Time is passed in.
using Smpc.Governance.Transparency;

namespace Smpc.Governance.Gating;

public static class WorkTokens
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(15);

    public static StudyTokenClaims Claims(Study study, Actor actor, string analystAccount, DateTime now, TimeSpan? lifetime = null)
    {
        if (StudyPermissions.Check(actor, StudyAction.Analyse, study) is { } denied) throw new StudyTokenRefusal("NotAnalyst", denied);
        if (study.Stage != StudyStage.Analysis) throw new StudyTokenRefusal("StudyStage", $"The study is in stage {study.Stage}; work tokens are issued only in its analysis stage.");
        var today = DateOnly.FromDateTime(now);
        if (study.EarliestExpiry() is { } expiry && expiry.Date < today)
            throw new StudyTokenRefusal("TermsExpired", $"The terms of '{expiry.Dataset.Name}' expired on {expiry.Date:yyyy-MM-dd}.");
        var terms = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in study.Datasets)
        {
            if (d.CurrentTerms is null || d.CurrentApproval is null)
                throw new StudyTokenRefusal("TermsNotApproved", $"The current terms of '{d.Name}' are not approved.");
            terms[d.Name] = d.CurrentTerms.Hash;
        }
        var expires = now + (lifetime ?? DefaultLifetime);
        if (study.EarliestExpiry() is { } e && e.Date.ToDateTime(TimeOnly.MaxValue, DateTimeKind.Utc) < expires)
            expires = e.Date.ToDateTime(TimeOnly.MaxValue, DateTimeKind.Utc);
        return new StudyTokenClaims
        {
            Study = study.Id.ToString(), Analyst = analystAccount, Role = "analyst", Stage = study.Stage.ToString(), Terms = terms,
            IssuedAt = now, Expires = expires, Id = Guid.NewGuid().ToString("N"),
        };
    }

    public static string Issue(LogKey registryKey, Study study, Actor actor, string analystAccount, DateTime now, TimeSpan? lifetime = null) =>
        StudyToken.Issue(registryKey, Claims(study, actor, analystAccount, now, lifetime));
}
