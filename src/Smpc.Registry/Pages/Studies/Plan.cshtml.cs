using Microsoft.AspNetCore.Mvc;
using Smpc.Governance;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;

namespace Smpc.Registry.Pages.Studies;

[AccessRule(StudyAction.Coordinate)]
public sealed class PlanModel(StudyRepository repository, TimeProvider clock) : StudyFormPage(repository, clock)
{
    [BindProperty] public string Audience { get; set; } = StudyPlan.StudyTeam;
    [BindProperty] public List<string> Operations { get; set; } = [];
    [BindProperty] public bool Synthetic { get; set; }
    [BindProperty] public DateOnly? PlannedEnd { get; set; }

    public void OnGet()
    {
        if (Study.Plan is not { } plan) return;
        Audience = string.Join(", ", plan.ReleaseAudience);
        Operations = [.. plan.Operations];
        Synthetic = plan.SyntheticVersions;
        PlannedEnd = plan.PlannedEnd;
    }

    public Task<IActionResult> OnPostAsync() => ApplyAsync(() => StudyLifecycle.SetPlan(Study, Actor, new StudyPlan
    {
        ReleaseAudience = Audience.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        Operations = Operations, SyntheticVersions = Synthetic, PlannedEnd = PlannedEnd,
    }, Now), StudyPath);
}
