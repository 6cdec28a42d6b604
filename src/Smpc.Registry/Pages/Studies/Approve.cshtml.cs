using Microsoft.AspNetCore.Mvc;
using Smpc.Governance;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;

namespace Smpc.Registry.Pages.Studies;

[AccessRule(StudyAction.ApproveTerms, AccessTarget.Dataset)]
public sealed class ApproveModel(StudyRepository repository, TimeProvider clock) : StudyFormPage(repository, clock)
{
    /// <summary>The hash of the version the steward read (a change in between is refused, not approved unseen).</summary>
    [BindProperty] public string TermsHash { get; set; } = "";

    public TermsBrief? Brief => Dataset.CurrentTerms is { } t ? TermsBrief.Of(Dataset, t) : null;

    public IReadOnlyList<TermsConflict> Conflicts => TermsConflicts.Of(Study).Where(c => c.DatasetId == Dataset.Id).ToList();

    public void OnGet() { }

    public Task<IActionResult> OnPostAsync() => ApplyAsync(() => StudyLifecycle.ApproveTerms(Study, Actor, Dataset, TermsHash, Now), "/actions");
}
