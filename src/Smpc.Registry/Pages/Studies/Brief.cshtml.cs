using Smpc.Governance;
using Smpc.Registry.Auth;

namespace Smpc.Registry.Pages.Studies;

/// <summary>One terms version as a one-page, printable brief for legal reviewers (<see cref="TermsBrief"/>):
/// <c>?version=N</c>, the current version by default.</summary>
[AccessRule(StudyAction.View, AccessTarget.Dataset)]
public sealed class BriefModel : RegistryPage
{
    public Study Study => (Study)HttpContext.Items[AccessMiddleware.StudyKey]!;

    public Dataset Dataset { get; private set; } = null!;

    public TermsBrief? Brief { get; private set; }

    public string? Problem { get; private set; }

    public void OnGet(Guid datasetId, int? version)
    {
        Dataset = Study.Datasets.First(d => d.Id == datasetId);
        try { Brief = TermsBrief.Of(Dataset, Api.PlanningEndpoints.Version(Study, datasetId, version).Version); }
        catch (TransitionRefusedException e) { Problem = e.Message; }
    }
}
