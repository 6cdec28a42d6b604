using Smpc.Analytics.Studies.Parties;
using Smpc.Analytics.Studies.Registry;

namespace Smpc.Analytics.Studies;

public sealed partial class SecureStudy
{
    readonly Dictionary<string, HeldRelease> _held = new(StringComparer.Ordinal);
    readonly Dictionary<string, StudyEvent> _fetched = new(StringComparer.Ordinal);
    HeldReleaseStore? _heldReleases = HeldReleaseStore.Default;

    /// <summary>Where this study keeps the releases held for a steward's review with their review keys, so that a later
    /// session of the same analyst and study can fetch them by id (default: <see cref="HeldReleaseStore.Default"/>, the
    /// analyst's own configuration folder). Null: only this session can fetch them.</summary>
    public HeldReleaseStore? HeldReleases
    {
        get { lock (_gate) return _heldReleases; }
        set { lock (_gate) _heldReleases = value; }
    }

    /// <summary>The account the parties see for this analyst (the certificate's, or the embedded parties' default).</summary>
    string ReviewAccount => _connection?.Account ?? Analyst ?? "analyst";

    /// <summary>Runs a join or aggregate at the parties; a release they held for review is recorded (in this session and in
    /// <see cref="HeldReleases"/>) before <see cref="ReleaseUnderReviewException"/> reaches the caller.</summary>
    T Holding<T>(Func<T> remote)
    {
        try { return remote(); }
        catch (ReleaseUnderReviewException e)
        {
            if (_connection?.LastHeld is not { } last || last.Review.ReviewId != e.ReviewId) throw;
            var held = new HeldRelease(Name, ReviewAccount, last.Review, _connection.ReviewKeys.PublicKey, _connection.ReviewKeys.PrivateKey,
                last.Cost is null ? null : PartyWire.Cost(last.Cost), last.LogEntries, DateTimeOffset.UtcNow);
            _held[e.ReviewId] = held;
            try { _heldReleases?.Save(held); }
            catch (Exception io) when (io is IOException or UnauthorizedAccessException or SmpcException)
            {
                throw new ReleaseUnderReviewException(e.Review, e.Message + $" Only this session can fetch it: its key could not be kept in {_heldReleases!.Folder} ({io.Message}).");
            }
            throw;
        }
    }

    /// <summary>
    /// A release the compute parties held for a data steward's review (the dataset's terms require it: outputReview;
    /// <see cref="Aggregate"/> or <see cref="Join(JoinRequest)"/> threw <see cref="ReleaseUnderReviewException"/>), fetched
    /// from the registry by its id: once a steward of every reviewing dataset's organisation approved, the three parties'
    /// copies sealed to the analyst's review key are opened here and the release is accepted when they agree and match the
    /// digest the parties logged. It returns the <see cref="Release"/> of an aggregate or the <see cref="JoinRelease"/> of
    /// a join (its counts), with the parties' log entries, and records it in <see cref="History"/>.
    /// The session that asked knows the release; a later session of the same analyst and study finds it in
    /// <see cref="HeldReleases"/> (another study's or analyst's record is refused). While the review is pending this throws
    /// <see cref="ReleaseUnderReviewException"/> naming whose review it waits for; a rejected release throws
    /// <see cref="StudyRefusedException"/> (rule OutputReview) with the steward's reason, and is never shown.
    /// </summary>
    /// <param name="registry">The registry, with the analyst's own credential (only the analyst who asked may fetch).</param>
    /// <param name="studyId">The study's id in the registry.</param>
    /// <param name="reviewId">The review's id (<see cref="ReleaseUnderReviewException.ReviewId"/>).</param>
    public StudyEvent FetchHeld(RegistryClient registry, string studyId, string reviewId)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(reviewId);
        reviewId = reviewId.Trim();
        lock (_gate)
        {
            ThrowIfDisposed();
            if (_fetched.TryGetValue(reviewId, out var done)) return done;
            var held = HeldFor(reviewId);
            var answer = registry.ReviewedReleaseAsync(studyId, reviewId).GetAwaiter().GetResult();
            switch (answer.Status)
            {
                case "rejected":
                    _held.Remove(reviewId);
                    _heldReleases?.Remove(reviewId);   // never delivered: its key is of no further use
                    throw new StudyRefusedException("OutputReview", $"The data steward rejected the {What(held.Review)} of review {reviewId}: {answer.Reason ?? "no reason given"}.") { LogEntries = held.LogEntries };
                case "approved":
                    var bytes = ReleaseReview.Open(held.Review, answer.Copies, (held.PublicKey, held.PrivateKey));
                    var cost = held.Cost is null ? new OperationCost(0, 0, 0, TimeSpan.Zero, []) : PartyWire.Combine([held.Cost]);
                    StudyEvent released = held.Review.Operation == PartyRequest.JoinOp
                        ? PartyWire.FromWire(PartyWire.Decode<JoinWire>(bytes, "reviewed join"), cost) with { LogEntries = held.LogEntries }
                        : PartyWire.FromWire(PartyWire.Decode<ReleaseWire>(bytes, "reviewed release"), cost) with { LogEntries = held.LogEntries };
                    _held.Remove(reviewId);
                    _fetched[reviewId] = released;
                    return Remember(released);
                default:
                    throw ReleaseUnderReviewException.Waiting(held.Review,
                        answer.WaitingFor.Count > 0 ? answer.WaitingFor.Select(w => new ReviewerWire(w.Dataset, w.Steward)).ToList() : held.Review.WaitingFor);
            }
        }
    }

    /// <summary>An aggregate's release held for review (see <see cref="FetchHeld"/>).</summary>
    public Release FetchReviewed(RegistryClient registry, string studyId, string reviewId) =>
        FetchHeld(registry, studyId, reviewId) as Release ?? throw new SmpcException($"Review {reviewId} holds a join's counts, not an aggregate's release: fetch it with FetchReviewedJoin or FetchHeld.");

    /// <summary>A join's counts held for review (see <see cref="FetchHeld"/>).</summary>
    public JoinRelease FetchReviewedJoin(RegistryClient registry, string studyId, string reviewId) =>
        FetchHeld(registry, studyId, reviewId) as JoinRelease ?? throw new SmpcException($"Review {reviewId} holds an aggregate's release, not a join's counts: fetch it with FetchReviewed or FetchHeld.");

    /// <summary>Polls <see cref="FetchHeld"/> every <paramref name="every"/> (default 30 s) until the steward decided
    /// or <paramref name="timeout"/> passed (then the last <see cref="ReleaseUnderReviewException"/> is thrown);
    /// <paramref name="waiting"/> is called with each "waiting for review by …" message.</summary>
    public StudyEvent AwaitHeld(RegistryClient registry, string studyId, string reviewId, TimeSpan timeout, TimeSpan? every = null, Action<string>? waiting = null)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            try { return FetchHeld(registry, studyId, reviewId); }
            catch (ReleaseUnderReviewException e) when (DateTime.UtcNow < until)
            {
                waiting?.Invoke(e.Message);
                var pause = every ?? TimeSpan.FromSeconds(30);
                var left = until - DateTime.UtcNow;
                Thread.Sleep(left < pause ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : pause);
            }
        }
    }

    /// <summary><see cref="AwaitHeld"/> for an aggregate's release.</summary>
    public Release AwaitReviewed(RegistryClient registry, string studyId, string reviewId, TimeSpan timeout, TimeSpan? every = null, Action<string>? waiting = null) =>
        AwaitHeld(registry, studyId, reviewId, timeout, every, waiting) as Release ?? throw new SmpcException($"Review {reviewId} holds a join's counts, not an aggregate's release: await it with AwaitReviewedJoin or AwaitHeld.");

    /// <summary><see cref="AwaitHeld"/> for a join's counts.</summary>
    public JoinRelease AwaitReviewedJoin(RegistryClient registry, string studyId, string reviewId, TimeSpan timeout, TimeSpan? every = null, Action<string>? waiting = null) =>
        AwaitHeld(registry, studyId, reviewId, timeout, every, waiting) as JoinRelease ?? throw new SmpcException($"Review {reviewId} holds an aggregate's release, not a join's counts: await it with AwaitReviewed or AwaitHeld.");

    /// <summary>The ids of the releases held for review that this session or <see cref="HeldReleases"/> knows for this
    /// study and analyst and that were not fetched in this session.</summary>
    public IReadOnlyList<string> HeldReviewIds
    {
        get
        {
            lock (_gate)
                return [.. _held.Keys.Concat(_heldReleases?.Ids(Name, ReviewAccount) ?? []).Where(id => !_fetched.ContainsKey(id)).Distinct().Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>The release held for review <paramref name="reviewId"/>: asked in this session, else kept in the store by
    /// an earlier session of this analyst and study.</summary>
    HeldRelease HeldFor(string reviewId)
    {
        if (_held.TryGetValue(reviewId, out var mine)) return mine;
        if (!HeldReleaseStore.IsId(reviewId))
            throw new SmpcException($"'{reviewId}' is not a review id: a review id is 16 to 64 lower-case hex digits, as the held release's message named it.");
        var kept = _heldReleases?.Find(reviewId)
            ?? throw new SmpcException($"This study knows no release held for review {reviewId}: it was not asked in this session, and " +
                                       (_heldReleases is null ? "this study keeps no store of held releases (HeldReleases is null)." : $"the store of held releases at {_heldReleases.Folder} has no record of it.") +
                                       " A release is sealed to the review key of the session that asked for it, which keeps the key in its store.");
        if (kept.Study != Name || kept.Analyst != ReviewAccount)
            throw new SmpcException($"Review {reviewId} was asked by '{kept.Analyst}' in study '{kept.Study}'; this session is '{ReviewAccount}' in study '{Name}'. " +
                                    "A held release is fetched by the same analyst in the same study.");
        return kept;
    }

    static string What(ReviewWire review) => review.Operation == PartyRequest.JoinOp ? "join's counts" : "release";
}
