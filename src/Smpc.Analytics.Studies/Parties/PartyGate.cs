// Registry-gated computation at a party service: when the study's configuration pins the registry's token key, every
// request but `end` must carry a work token the registry signed (Smpc.Governance.Gating), checked here offline —
// signature, study, the analyst's certificate account, role, stage, lifetime and expiry, the revocation list, and that
// the approved terms hashes in the token are exactly the canonical hashes of the terms this party holds for every
// contributed dataset. The verdict (accepted, or the rule that refused) enters the parties' request agreement, so the
// three parties accept or refuse the same request even when their clocks disagree at an expiry boundary.
using Smpc.Governance;
using Smpc.Governance.Gating;

namespace Smpc.Analytics.Studies.Parties;

public sealed class PartyGate(StudyTokenCheck check, TimeProvider? clock = null)
{
    readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>Null when <paramref name="request"/> may run, else "Rule: why".</summary>
    internal string? Verdict(PartyRequest? request, string analyst, SecureStudy study)
    {
        if (request is null || request.Op == PartyRequest.End) return null;
        if (string.IsNullOrEmpty(request.Token)) return "TokenMissing: this study's parties compute only with a work token from the registry (POST /api/studies/{id}/work-token).";
        var held = study.Datasets.Where(d => d.IsContributed).ToDictionary(d => d.Name, d => TermsDocument.Hash(TermsDocument.Canonical(d.Origins[0])), StringComparer.Ordinal);
        try
        {
            check.Check(request.Token, analyst, held, _clock.GetUtcNow().UtcDateTime);
            return null;
        }
        catch (StudyTokenRefusal e) { return $"{e.Rule}: {e.Message}"; }
    }
}
