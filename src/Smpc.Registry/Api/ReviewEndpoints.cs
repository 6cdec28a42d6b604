using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Smpc.Governance;
using Smpc.Governance.Review;
using Smpc.Governance.Transparency;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;
using Smpc.Registry.Transparency;

namespace Smpc.Registry.Api;

/// <summary>
/// Output checking (terms with <c>outputReview</c>): a registry-gated compute party posts its copy of a release sealed
/// to the analyst and to each reviewing steward (<see cref="SealedBox"/>; the registry cannot open them); a steward of
/// the dataset's organisation lists the releases held on the dataset with the copies sealed to them, and approves or
/// rejects each with a reason; the analyst who asked fetches the copies sealed to them once every dataset of the review
/// is approved, and never a rejected one. Each submission, approval and rejection is a transparency-log entry
/// (<see cref="LogEntryKind.ReleaseReview"/>, step pending, approved or rejected).
/// </summary>
public static class ReviewEndpoints
{
    public static void MapReviewApi(this IEndpointRouteBuilder api)
    {
        // A compute party's sealed copies of a release held for review, posted with its compute operator's credential.
        api.MapPost("/studies/{studyId}/reviews", async (ReviewSubmission body, HttpContext ctx, RegistryDb db, TimeProvider clock) =>
        {
            var study = ApiEndpoints.StudyOf(ctx);
            var person = ApiEndpoints.PersonOf(ctx);
            if (Problem(body, study) is { } problem) return Results.Problem(statusCode: 400, detail: $"The release cannot be held for review: {problem}.");
            string studyId = study.Id.ToString();
            var now = ApiEndpoints.Now(clock);
            foreach (var copy in body.Stewards!)
            {
                var dataset = study.Datasets.Single(d => d.Name == copy.Dataset);
                if (await db.ReleaseReviews.AnyAsync(r => r.StudyId == study.Id && r.ReviewId == body.ReviewId && r.DatasetId == dataset.Id && r.Party == body.Party, ctx.RequestAborted))
                    return Results.Problem(statusCode: 409, detail: $"Party {body.Party} has already posted review {body.ReviewId} of '{dataset.Name}'.");
                db.ReleaseReviews.Add(new ReleaseReviewRow
                {
                    StudyId = study.Id, DatasetId = dataset.Id, ReviewId = body.ReviewId!, Party = body.Party, Analyst = body.Analyst!, Request = body.Request!,
                    ForAnalyst = body.ForAnalyst!, ForSteward = copy.Sealed!, SubmittedBy = person.Id, SubmittedAt = now,
                });
                db.Record(new LogRecord(LogEntryKind.ReleaseReview, now,
                    $"Compute party {body.Party} ({person.Organisation.Name}) holds a release of '{dataset.Name}' for {body.Analyst} for the steward's review: {body.Request}.",
                    studyId, person.Id.ToString())
                {
                    Data = new Dictionary<string, string>
                    {
                        ["step"] = ReleaseReviewRow.Pending, ["review"] = body.ReviewId!, ["dataset"] = dataset.Name, ["party"] = body.Party.ToString(CultureInfo.InvariantCulture),
                        ["analyst"] = body.Analyst!, ["request"] = body.Request!, ["organisation"] = person.OrganisationId.ToString(),
                    },
                });
            }
            await db.SaveChangesAsync(ctx.RequestAborted);
            return Results.Created($"/api/studies/{study.Id}/reviews/{body.ReviewId}/release", new { reviewId = body.ReviewId });
        }).Access(StudyAction.LogComputation);

        // The releases held on a dataset, with the copies sealed to its steward (the steward opens them with their key).
        api.MapGet("/studies/{studyId}/datasets/{datasetId}/reviews", async (Guid datasetId, HttpContext ctx, RegistryDb db) =>
        {
            var study = ApiEndpoints.StudyOf(ctx);
            var rows = await db.ReleaseReviews.AsNoTracking().Where(r => r.StudyId == study.Id && r.DatasetId == datasetId).ToListAsync(ctx.RequestAborted);
            return Results.Ok(rows.GroupBy(r => r.ReviewId).Select(View).OrderBy(v => v.Since).ToList());
        }).Access(StudyAction.ReviewRelease, AccessTarget.Dataset);

        // A steward's decision on one review of one dataset: approve, or reject with a reason.
        api.MapPost("/studies/{studyId}/datasets/{datasetId}/reviews/{reviewId}", async (Guid datasetId, string reviewId, ReviewDecision body, HttpContext ctx,
                                                                                      RegistryDb db, TimeProvider clock) =>
        {
            var study = ApiEndpoints.StudyOf(ctx);
            var (status, problem, view) = await DecideAsync(db, study, ApiEndpoints.PersonOf(ctx), datasetId, reviewId, body, ApiEndpoints.Now(clock), ctx.RequestAborted);
            return problem is null ? Results.Ok(view) : Results.Problem(statusCode: status, detail: problem);
        }).Access(StudyAction.ReviewRelease, AccessTarget.Dataset);

        // The analyst who asked: the copies sealed to them once every dataset of the review is approved (202 while pending).
        api.MapGet("/studies/{studyId}/reviews/{reviewId}/release", async (string reviewId, HttpContext ctx, RegistryDb db) =>
        {
            var study = ApiEndpoints.StudyOf(ctx);
            var person = ApiEndpoints.PersonOf(ctx);
            var rows = await db.ReleaseReviews.AsNoTracking().Where(r => r.StudyId == study.Id && r.ReviewId == reviewId).ToListAsync(ctx.RequestAborted);
            if (rows.Count == 0) return Results.Problem(statusCode: 404, detail: $"The study holds no release for review {reviewId}.");
            if (!string.Equals(rows[0].Analyst, person.Email, StringComparison.OrdinalIgnoreCase))
                return Results.Problem(statusCode: 403, detail: "Only the analyst who asked for a release may fetch it.");
            var byDataset = rows.GroupBy(r => r.DatasetId).ToList();
            var waiting = byDataset.Where(g => g.First().Status == ReleaseReviewRow.Pending)
                .Select(g => study.Datasets.First(d => d.Id == g.Key)).Select(d => new ReviewerView(d.Name, d.CurrentTerms?.Terms.Steward ?? d.Organisation.Name)).ToList();
            if (byDataset.FirstOrDefault(g => g.First().Status == ReleaseReviewRow.Rejected) is { } rejected)
                return Results.Ok(new ReleaseFetch(reviewId, ReleaseReviewRow.Rejected, [], rejected.First().Reason, []));
            if (waiting.Count > 0)
                return Results.Json(new ReleaseFetch(reviewId, ReleaseReviewRow.Pending, waiting, null, []), statusCode: 202);
            var copies = byDataset[0].OrderBy(r => r.Party).Select(r => new SealedCopy(r.Party, r.ForAnalyst)).ToList();
            return Results.Ok(new ReleaseFetch(reviewId, ReleaseReviewRow.Approved, [], null, copies));
        }).Access(StudyAction.Analyse);
    }

    /// <summary>Records a steward's decision (the caller checked <see cref="StudyAction.ReviewRelease"/> on the dataset):
    /// every party's copy of the review on that dataset takes it, and the log an entry. Returns the refusal's status and
    /// text, or the review as it now stands.</summary>
    public static async Task<(int Status, string? Problem, ReviewView? View)> DecideAsync(RegistryDb db, Study study, Person person, Guid datasetId, string reviewId,
                                                                                     ReviewDecision body, DateTime now, CancellationToken ct)
    {
        var dataset = study.Datasets.Single(d => d.Id == datasetId);
        var rows = await db.ReleaseReviews.Where(r => r.StudyId == study.Id && r.DatasetId == datasetId && r.ReviewId == reviewId).ToListAsync(ct);
        if (rows.Count == 0) return (404, $"No release of '{dataset.Name}' is held for review {reviewId}.", null);
        if (rows[0].Status != ReleaseReviewRow.Pending) return (409, $"Review {reviewId} of '{dataset.Name}' is already {rows[0].Status}.", null);
        if (body.Approve is not { } approve) return (400, "Give approve: true or false (and a reason to reject).", null);
        string? reason = string.IsNullOrWhiteSpace(body.Reason) ? null : body.Reason.Trim();
        if (!approve && reason is null) return (400, "A rejection needs a reason.", null);
        if (approve && rows.Select(r => r.Party).Distinct().Count() < 3)
            return (409, $"Review {reviewId} of '{dataset.Name}' has copies from {rows.Count} of the three compute parties; approve once all three have posted.", null);
        string step = approve ? ReleaseReviewRow.Approved : ReleaseReviewRow.Rejected;
        foreach (var r in rows)
        {
            r.Status = step;
            r.DecidedBy = person.Id;
            r.DecidedAt = now;
            r.Reason = reason;
        }
        var data = new Dictionary<string, string> { ["step"] = step, ["review"] = reviewId, ["dataset"] = dataset.Name, ["analyst"] = rows[0].Analyst };
        if (reason is not null) data["reason"] = reason;
        db.Record(new LogRecord(LogEntryKind.ReleaseReview, now,
            $"{person.Name} ({person.Organisation.Name}) {step} the release of '{dataset.Name}' for {rows[0].Analyst}{(reason is null ? "" : $": {reason}")}.",
            study.Id.ToString(), person.Id.ToString()) { Data = data });
        await db.SaveChangesAsync(ct);
        return (200, null, View(rows.GroupBy(r => r.ReviewId).Single()));
    }

    /// <summary>The releases held for review on the datasets of <paramref name="studies"/>, still pending.</summary>
    public static async Task<List<PendingReview>> PendingAsync(RegistryDb db, IEnumerable<Study> studies, CancellationToken ct)
    {
        var ids = studies.Select(s => s.Id).ToList();
        var rows = await db.ReleaseReviews.AsNoTracking().Where(r => ids.Contains(r.StudyId) && r.Status == ReleaseReviewRow.Pending).ToListAsync(ct);
        return rows.GroupBy(r => (r.StudyId, r.DatasetId, r.ReviewId))
            .Select(g => new PendingReview(g.Key.StudyId, g.Key.DatasetId, g.Key.ReviewId, g.First().Request, g.First().Analyst, g.Min(r => r.SubmittedAt))).ToList();
    }

    public static ReviewView View(IGrouping<string, ReleaseReviewRow> g)
    {
        var first = g.First();
        return new ReviewView(g.Key, first.Analyst, first.Request, first.Status, g.Min(r => r.SubmittedAt), first.DecidedAt, first.Reason,
            g.OrderBy(r => r.Party).Select(r => new SealedCopy(r.Party, r.ForSteward)).ToList());
    }

    static string? Problem(ReviewSubmission b, Study study)
    {
        if (b.ReviewId is not { Length: >= 16 and <= 64 } id || !id.All(char.IsAsciiHexDigitLower)) return "reviewId must be 16 to 64 lower-case hex digits";
        if (b.Party is < 0 or > 2) return "party must be 0, 1 or 2";
        if (string.IsNullOrWhiteSpace(b.Analyst)) return "analyst is missing";
        if (string.IsNullOrWhiteSpace(b.Request)) return "request is missing";
        if (!Base64(b.ForAnalyst)) return "forAnalyst must be a sealed box (base64)";
        if (b.Stewards is not { Count: > 0 }) return "stewards must name at least one dataset with the copy sealed to its steward";
        foreach (var s in b.Stewards)
        {
            if (study.Datasets.FirstOrDefault(d => d.Name == s.Dataset) is not { } d) return $"the study has no dataset '{s.Dataset}'";
            if (d.CurrentTerms?.Terms.OutputReview is null) return $"the terms of '{d.Name}' do not require review";
            if (!Base64(s.Sealed)) return $"the copy for the steward of '{d.Name}' must be a sealed box (base64)";
        }
        if (b.Stewards.Select(s => s.Dataset).Distinct().Count() != b.Stewards.Count) return "a dataset is named twice";
        return null;
    }

    static bool Base64(string? s)
    {
        if (string.IsNullOrEmpty(s)) return false;
        var buffer = new byte[s.Length];
        return Convert.TryFromBase64String(s, buffer, out _);
    }
}

/// <summary>A compute party's copy of a release for review: sealed to the analyst, and to the steward of each dataset whose
/// terms require review.</summary>
public sealed record ReviewSubmission(string? ReviewId, int Party, string? Analyst, string? Request, string? ForAnalyst, IReadOnlyList<StewardCopy>? Stewards);

public sealed record StewardCopy(string? Dataset, string? Sealed);

public sealed record ReviewDecision(bool? Approve, string? Reason);

public sealed record SealedCopy(int Party, string Sealed);

/// <summary>A release held for review, as its steward sees it: the copies sealed to the steward, one per party.</summary>
public sealed record ReviewView(string ReviewId, string Analyst, string Request, string Status, DateTime Since, DateTime? DecidedAt, string? Reason,
    IReadOnlyList<SealedCopy> Copies);

public sealed record ReviewerView(string Dataset, string Steward);

/// <summary>What the analyst gets: pending (and whose review it waits for), rejected (with the reason, never the release),
/// or approved with the three parties' copies sealed to the analyst.</summary>
public sealed record ReleaseFetch(string ReviewId, string Status, IReadOnlyList<ReviewerView> WaitingFor, string? Reason, IReadOnlyList<SealedCopy> Copies);
