using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Smpc.Analytics.Studies.Registry;

// Output checking at the registry (terms with "outputReview"): a compute party posts its copies of a release sealed to
// the analyst and to the reviewing stewards; the analyst who asked fetches the copies sealed to them once approved.
public sealed partial class RegistryClient
{
    /// <summary>Posts a compute party's sealed copies of a release held for review (the caller is the party's compute
    /// operator). Throws <see cref="RegistryException"/> when the registry refuses.</summary>
    public async Task SubmitReviewAsync(string studyId, ReleaseReviewSubmission submission, CancellationToken ct = default)
    {
        string path = $"api/studies/{Uri.EscapeDataString(studyId)}/reviews";
        HttpResponseMessage response;
        try { response = await http.PostAsync(path, JsonContent.Create(submission, options: Json), ct); }
        catch (HttpRequestException e) { throw new RegistryException($"The registry at {BaseAddress} cannot be reached: {e.Message}"); }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested) { throw new RegistryException($"The registry at {BaseAddress} did not answer within 30 s."); }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Unauthorized)
                throw new RegistryException($"The registry at {BaseAddress} refused the token (401): it is unknown, expired or revoked. Create a new one.");
            if (!response.IsSuccessStatusCode)
                throw new RegistryException($"The registry at {BaseAddress} answered {(int)response.StatusCode} to POST /{path}: {Detail(await response.Content.ReadAsStringAsync(ct))}");
        }
    }

    /// <summary>A release held for review, as the analyst who asked may see it: pending (and for whom), rejected (the
    /// reason, never the release), or approved with the three parties' copies sealed to the analyst.</summary>
    public Task<ReviewedRelease> ReviewedReleaseAsync(string studyId, string reviewId, CancellationToken ct = default) =>
        GetAsync<ReviewedRelease>($"api/studies/{Uri.EscapeDataString(studyId)}/reviews/{Uri.EscapeDataString(reviewId)}/release", ct);
}

/// <summary>One compute party's copies of a release held for review: sealed to the analyst, and to the steward of each
/// dataset whose terms require review.</summary>
public sealed record ReleaseReviewSubmission(string ReviewId, int Party, string Analyst, string Request, string ForAnalyst, IReadOnlyList<StewardSealedCopy> Stewards);

public sealed record StewardSealedCopy(string Dataset, string Sealed);

public sealed record ReviewedRelease(string ReviewId, string Status, IReadOnlyList<ReleaseReviewer> WaitingFor, string? Reason, IReadOnlyList<PartySealedCopy> Copies);

public sealed record ReleaseReviewer(string Dataset, string Steward);

public sealed record PartySealedCopy(int Party, string Sealed);
