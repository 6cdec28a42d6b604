// Output checking (terms with "outputReview", Smpc.Governance.DataUse.OutputReview): when a registry-gated party computes
// a release on a dataset whose terms require the steward's review for its operations — an aggregate's table, or a
// join's disclosed counts (joined rows, matches per pass) when the terms list "join" or every operation — the party does
// not send the release to the analyst. It seals the release's wire form (ReleaseWire, or JoinWire for a join) to the
// analyst's review key (sent with the request when the parties ask for it, so part of the parties' agreement) and to each
// reviewing steward's key (from the terms the party holds, never from the registry), posts both to the registry with its
// compute operator's credential, and answers the analyst with the review's id and whose review it waits for. The
// registry cannot open either copy. The analyst keeps the review with its key (HeldReleaseStore), fetches the three
// parties' copies once a steward of every reviewing dataset's organisation approved — from the session that asked or a
// later one — opens them, and accepts the release only when the three agree and match the logged digest
// (SecureStudy.FetchHeld). The transparency log's entry carries the release's digest keyed with the analyst's review key
// (the registry never sees that key, so it cannot test guesses of a small table against the digest); the analyst
// recomputes it.
using System.Security.Cryptography;
using System.Text;
using Smpc.Analytics.Studies.Registry;
using Smpc.Governance.DataUse;
using Smpc.Governance.Review;

namespace Smpc.Analytics.Studies.Parties;

/// <summary>Where a party service posts its sealed copies of a release held for review.</summary>
public interface IReleaseReviews
{
    /// <summary>Posts the copies; throws when it cannot.</summary>
    void Submit(ReleaseReviewSubmission submission);
}

/// <summary>The registry's review table, reached with a compute operator's personal access token.</summary>
public sealed class RegistryReleaseReviews(RegistryClient client, string studyId) : IReleaseReviews, IDisposable
{
    public RegistryReleaseReviews(string url, string token, string studyId) : this(new RegistryClient(url, token), studyId) { }

    public void Submit(ReleaseReviewSubmission submission) => client.SubmitReviewAsync(studyId, submission).GetAwaiter().GetResult();

    public void Dispose() => client.Dispose();
}

/// <summary>The parties' answer to the analyst in place of a release held for review: the review's id, whose review it
/// waits for, and what the parties logged (the release's keyed digest, its sequence, the ε spent); <see cref="Operation"/>
/// says what the sealed copies hold: an aggregate's release (<see cref="ReleaseWire"/>) or a join's (<see cref="JoinWire"/>).</summary>
public sealed record ReviewWire(string ReviewId, IReadOnlyList<ReviewerWire> WaitingFor, string ResultSha256, int Sequence, double? EpsilonSpent,
                                string Operation = PartyRequest.AggregateOp, string? Request = null);

public sealed record ReviewerWire(string Dataset, string Steward);

/// <summary>The release (an aggregate's table, or a join's counts) was computed and is held at the registry for the data
/// steward's review; nothing was released to the analyst yet. Fetch it by <see cref="ReviewId"/> once approved, from
/// this session or a later one of the same analyst and study (<see cref="SecureStudy.FetchHeld"/>).</summary>
public sealed class ReleaseUnderReviewException(ReviewWire review, string message) : SmpcException(message)
{
    public ReviewWire Review { get; } = review;

    /// <summary>The release's id: keep it to fetch the release later (<see cref="SecureStudy.FetchHeld"/>).</summary>
    public string ReviewId => Review.ReviewId;

    /// <summary>Whose review it waits for: each reviewing dataset and its steward.</summary>
    public IReadOnlyList<ReviewerWire> WaitingFor => Review.WaitingFor;

    /// <summary>"aggregate" or "join".</summary>
    public string Operation => Review.Operation;

    internal static ReleaseUnderReviewException Waiting(ReviewWire review, IReadOnlyList<ReviewerWire> waitingFor) => new(review with { WaitingFor = waitingFor },
        $"The {(review.Operation == PartyRequest.JoinOp ? "join's counts are" : "release is")} waiting for review by " +
        $"{string.Join(" and ", waitingFor.Select(w => $"{w.Steward} (dataset '{w.Dataset}')"))}; review {review.ReviewId}. " +
        "Fetch it by this id once approved (SecureStudy.FetchHeld, or #!secure-release in a notebook), from this session or a later one.");
}

/// <summary>The sealing and naming rules both sides apply.</summary>
public static class ReleaseReview
{
    /// <summary>The parties' refusal, before computing, of an aggregate whose release must be held for review when the
    /// request carries no review key; the analyst's side sends the request again with its key (StudyConnection). An
    /// aggregate that needs no review never carries the key.</summary>
    public const string KeyRule = "OutputReviewKey";

    /// <summary>The context an analyst's copy from <paramref name="party"/> is sealed under.</summary>
    public static string AnalystContext(string reviewId, int party) => ReviewContexts.Analyst(reviewId, party);

    /// <summary>The context a steward's copy of <paramref name="dataset"/> from <paramref name="party"/> is sealed under.</summary>
    public static string StewardContext(string reviewId, string dataset, int party) => ReviewContexts.Steward(reviewId, dataset, party);

    /// <summary>HMAC-SHA256 of the release's wire bytes under a key derived from the analyst's review key (hex).</summary>
    public static string KeyedDigest(byte[] releaseWire, string analystKey) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(SHA256.HashData(Encoding.UTF8.GetBytes("smpc review digest\n" + analystKey)), releaseWire));

    /// <summary>The review's id: the same at the three parties, different for every release and analyst key.</summary>
    public static string Id(string keyedDigest, int sequence) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"smpc review id\n{keyedDigest}\n{sequence}")))[..32];

    /// <summary>The reviewing datasets' terms for a query doing <paramref name="operations"/> on data from <paramref name="origins"/>.</summary>
    public static IReadOnlyList<DataUseTerms> Reviewing(IEnumerable<DataUseTerms> origins, IReadOnlyList<string> operations) =>
        origins.Where(t => t.OutputReview is { } r && r.Requires(operations)).DistinctBy(t => t.Dataset).ToList();

    /// <summary>Opens the three parties' copies sealed to the analyst and returns the release's wire bytes, only when the
    /// three agree and match the digest the parties logged.</summary>
    public static byte[] Open(ReviewWire review, IReadOnlyList<PartySealedCopy> copies, (string PublicKey, string PrivateKey) analystKey)
    {
        if (copies.Select(c => c.Party).Order().SequenceEqual([0, 1, 2]) is false)
            throw new SmpcException($"Review {review.ReviewId}: the registry sent copies from parties {string.Join(", ", copies.Select(c => c.Party))}; a release needs all three.");
        byte[][] opened;
        try { opened = copies.OrderBy(c => c.Party).Select(c => SealedBox.Open(c.Sealed, analystKey.PrivateKey, AnalystContext(review.ReviewId, c.Party))).ToArray(); }
        catch (CryptographicException e) { throw new SmpcException($"Review {review.ReviewId}: a copy does not open with this study's review key ({e.Message}); the release is not accepted."); }
        if (!opened[1].AsSpan().SequenceEqual(opened[0]) || !opened[2].AsSpan().SequenceEqual(opened[0]))
            throw new SmpcException($"Review {review.ReviewId}: the three compute parties' copies differ; the release is not accepted (a party is faulty or out of step).");
        if (KeyedDigest(opened[0], analystKey.PublicKey) != review.ResultSha256)
            throw new SmpcException($"Review {review.ReviewId}: the release does not match the digest the compute parties logged; it is not accepted.");
        return opened[0];
    }
}
