using Smpc.Analytics.Studies.Parties;
using Smpc.Analytics.Studies.Registry;

namespace Smpc.Analytics.Studies;

public sealed partial class SecureStudy
{
    /// <summary>
    /// A release the compute parties held for a data steward's review (the dataset's terms require it: outputReview;
    /// <see cref="Aggregate"/> threw <see cref="ReleaseUnderReviewException"/>), fetched from the registry: once a steward
    /// of every reviewing dataset's organisation approved, the three parties' copies sealed to this study's review key are
    /// opened here and the release is accepted when they agree and match the digest the parties logged. While the review
    /// is pending this throws <see cref="ReleaseUnderReviewException"/> naming whose review it waits for; a rejected
    /// release throws <see cref="StudyRefusedException"/> (rule OutputReview) with the steward's reason, and is never shown.
    /// </summary>
    /// <param name="registry">The registry, with the analyst's own credential (only the analyst who asked may fetch).</param>
    /// <param name="studyId">The study's id in the registry.</param>
    /// <param name="reviewId">The review's id (<see cref="ReleaseUnderReviewException.ReviewId"/>).</param>
    public Release FetchReviewed(RegistryClient registry, string studyId, string reviewId)
    {
        ArgumentNullException.ThrowIfNull(registry);
        lock (_gate)
        {
            ThrowIfDisposed();
            if (_connection is null || !_connection.PendingReviews.TryGetValue(reviewId, out var pending))
                throw new SmpcException($"This study asked for no release held for review {reviewId} (a release is sealed to the review key of the session that asked for it).");
            var answer = registry.ReviewedReleaseAsync(studyId, reviewId).GetAwaiter().GetResult();
            switch (answer.Status)
            {
                case "rejected":
                    _connection.PendingReviews.Remove(reviewId);
                    throw new StudyRefusedException("OutputReview", $"The data steward rejected the release of review {reviewId}: {answer.Reason ?? "no reason given"}.") { LogEntries = pending.LogEntries };
                case "approved":
                    var bytes = ReleaseReview.Open(pending.Review, answer.Copies, _connection.ReviewKeys);
                    var wire = PartyWire.Decode<ReleaseWire>(bytes, "reviewed release");
                    _connection.PendingReviews.Remove(reviewId);
                    var release = PartyWire.FromWire(wire, pending.Cost ?? new OperationCost(0, 0, 0, TimeSpan.Zero, [])) with { LogEntries = pending.LogEntries };
                    return Remember(release);
                default:
                    throw ReleaseUnderReviewException.Waiting(pending.Review,
                        answer.WaitingFor.Count > 0 ? answer.WaitingFor.Select(w => new ReviewerWire(w.Dataset, w.Steward)).ToList() : pending.Review.WaitingFor);
            }
        }
    }

    /// <summary>Polls <see cref="FetchReviewed"/> every <paramref name="every"/> (default 30 s) until the steward decided
    /// or <paramref name="timeout"/> passed (then the last <see cref="ReleaseUnderReviewException"/> is thrown);
    /// <paramref name="waiting"/> is called with each "waiting for review by …" message.</summary>
    public Release AwaitReviewed(RegistryClient registry, string studyId, string reviewId, TimeSpan timeout, TimeSpan? every = null, Action<string>? waiting = null)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            try { return FetchReviewed(registry, studyId, reviewId); }
            catch (ReleaseUnderReviewException e) when (DateTime.UtcNow < until)
            {
                waiting?.Invoke(e.Message);
                Thread.Sleep(every ?? TimeSpan.FromSeconds(30));
            }
        }
    }
}
