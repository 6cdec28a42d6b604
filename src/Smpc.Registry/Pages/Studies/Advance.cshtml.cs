using Microsoft.AspNetCore.Mvc;
using Smpc.Governance;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;

namespace Smpc.Registry.Pages.Studies;

[AccessRule(StudyAction.Coordinate)]
public sealed class AdvanceModel(StudyRepository repository, TimeProvider clock) : StudyFormPage(repository, clock)
{
    public IReadOnlyList<string> Pending => StudyLifecycle.Next(Study.Stage) is { } next ? StudyLifecycle.UnmetCriteria(Study, next, Today) : [];

    public void OnGet() { }

    public Task<IActionResult> OnPostAsync() => ApplyAsync(() => StudyLifecycle.Advance(Study, Actor, Now), StudyPath);
}
