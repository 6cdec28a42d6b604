// Registry-gated computation at a party service: when the study's configuration pins the registry's token key, every
// request but `end` must carry a work token the registry signed (Smpc.Governance.Gating), checked here offline —
// signature, study, the analyst's certificate account, role, stage, lifetime and expiry, the revocation list (the
// configured one, and with Revocations the registry's, TokenRevocations.cs), and that
// the approved terms hashes in the token are exactly the canonical hashes of the terms this party holds for every
// contributed dataset. The verdict (accepted, or the rule that refused) enters the parties' request agreement, so the
// three parties accept or refuse the same request even when their clocks disagree at an expiry boundary. With a
// computation log (Log), the party also logs every join and aggregate it ran or refused to the registry's transparency
// log (ComputationLog.cs); with a witness (Witness), it countersigns the log's heads and, once a head does not extend
// the one it countersigned, refuses all further work with rule LogConsistency (LogWitness.cs).
using Smpc.Governance;
using Smpc.Governance.Gating;
using Smpc.Governance.Transparency;

namespace Smpc.Analytics.Studies.Parties;

public sealed class PartyGate(StudyTokenCheck check, TimeProvider? clock = null)
{
    readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>Where this party logs the joins and aggregates it ran or refused (the registry's transparency log), or null.</summary>
    public IComputationLog? Log { get; init; }

    /// <summary>This party's witness of the registry's log, or null.</summary>
    public ILogWitness? Witness { get; init; }

    volatile string? _inconsistent;

    /// <summary>"LogConsistency: why" once the log showed this party a head that does not extend the one it
    /// countersigned (then every request is refused), else null.</summary>
    public string? LogRefusal => _inconsistent;

    /// <summary>Witnesses the log's latest head (when this gate has a witness): null when countersigned (or the log could
    /// not be asked: noted in <paramref name="log"/>, the next round tries again), else the LogConsistency refusal, which
    /// then holds for every later request.</summary>
    internal string? Witnessed(Action<string>? log)
    {
        if (Witness is null || _inconsistent is not null) return _inconsistent;
        try
        {
            log?.Invoke(Witness.Countersign().ToString());
            return null;
        }
        catch (LogVerificationException e)
        {
            _inconsistent = $"LogConsistency: this compute party refuses further work: the registry's transparency log is inconsistent with the head it countersigned. {e.Message}";
            log?.Invoke(_inconsistent);
            return _inconsistent;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            log?.Invoke($"could not witness the registry's log: {e.Message}");
            return null;
        }
    }

    /// <summary>Where this party posts its sealed copies of releases held for a steward's review (terms with
    /// outputReview; ReleaseReviews.cs), or null: such releases are then refused (rule OutputReview).</summary>
    public IReleaseReviews? Reviews { get; init; }

    /// <summary>Where this party learns the work tokens revoked at the registry (TokenRevocations.cs), merged with the
    /// check's configured list before each request, or null (the configured list alone).</summary>
    public ITokenRevocations? Revocations { get; init; }

    /// <summary>Null when <paramref name="request"/> may run, else "Rule: why"; <paramref name="tokenId"/> is the accepted
    /// token's id.</summary>
    internal string? Verdict(PartyRequest? request, string analyst, SecureStudy study, out string? tokenId)
    {
        tokenId = null;
        if (request is null || request.Op == PartyRequest.End) return null;
        if (_inconsistent is { } inconsistent) return inconsistent;
        if (string.IsNullOrEmpty(request.Token)) return "TokenMissing: this study's parties compute only with a work token from the registry (POST /api/studies/{id}/work-token).";
        var held = study.Datasets.Where(d => d.IsContributed).ToDictionary(d => d.Name, d => TermsDocument.Hash(TermsDocument.Canonical(d.Origins[0])), StringComparer.Ordinal);
        try
        {
            var current = check;
            if (Revocations is { } revocations)
            {
                try { current = check with { Revoked = revocations.Revoked().Union(check.Revoked).ToHashSet(StringComparer.Ordinal) }; }
                catch (TokenRevocationsUnknownException e) { return $"TokenRevocations: {e.Message}"; }
            }
            tokenId = current.Check(request.Token, analyst, held, _clock.GetUtcNow().UtcDateTime).Id;
            return null;
        }
        catch (StudyTokenRefusal e) { return $"{e.Rule}: {e.Message}"; }
    }
}
