using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Smpc.Governance;
using Smpc.Registry.Api;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;

namespace Smpc.Registry.Pages.Studies;

/// <summary>A steward's releases held for review on one dataset: each with the request, the analyst, and the three
/// compute parties' copies sealed to the steward's key (opened on the steward's machine, e.g. <c>smpc</c>'s
/// SealedBox.Open with the private key; the registry cannot read them); approve, or reject with a reason.</summary>
[AccessRule(StudyAction.ReviewRelease, AccessTarget.Dataset)]
public sealed class ReviewsModel(StudyRepository repository, TimeProvider clock) : StudyFormPage(repository, clock)
{
    public IReadOnlyList<ReviewView> Reviews { get; private set; } = [];

    [BindProperty] public string ReviewId { get; set; } = "";
    [BindProperty] public bool Approve { get; set; }
    [BindProperty] public string? Reason { get; set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        var (_, problem, _) = await ReviewEndpoints.DecideAsync(Repository.Db, Study, Me, Dataset.Id, ReviewId, new ReviewDecision(Approve, Reason), Now, HttpContext.RequestAborted);
        if (problem is null) return Redirect($"/studies/{Study.Id}/datasets/{Dataset.Id}/reviews");
        Error = problem;
        await LoadAsync();
        return Page();
    }

    async Task LoadAsync()
    {
        var rows = await Repository.Db.ReleaseReviews.AsNoTracking().Where(r => r.StudyId == Study.Id && r.DatasetId == Dataset.Id).ToListAsync(HttpContext.RequestAborted);
        Reviews = rows.GroupBy(r => r.ReviewId).Select(ReviewEndpoints.View).OrderBy(v => v.Since).ToList();
    }
}
