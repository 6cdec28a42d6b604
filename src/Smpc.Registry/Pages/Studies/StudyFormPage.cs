using Microsoft.AspNetCore.Mvc;
using Smpc.Governance;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;

namespace Smpc.Registry.Pages.Studies;

/// <summary>
/// Base of the pages where people act on a study in the browser — the same lifecycle operations as the JSON API
/// (<see cref="StudyLifecycle"/>), under the same access rules (the page model's <see cref="AccessRule"/>, checked by
/// <see cref="AccessMiddleware"/> before the page runs) and the same refusals: a lifecycle rule or a permission shows
/// as an error on the form, with every unmet criterion, and nothing is saved.
/// </summary>
public abstract class StudyFormPage(StudyRepository repository, TimeProvider clock) : RegistryPage
{
    protected StudyRepository Repository { get; } = repository;

    public Study Study => (Study)HttpContext.Items[AccessMiddleware.StudyKey]!;

    protected Actor Actor => RegistryClaims.ActorOf(User)!;

    protected DateTime Now => clock.GetUtcNow().UtcDateTime;

    protected DateOnly Today => DateOnly.FromDateTime(Now);

    /// <summary>The refusal to show, with its unmet criteria.</summary>
    public string? Error { get; protected set; }

    public IReadOnlyList<string> Unmet { get; protected set; } = [];

    /// <summary>Runs <paramref name="change"/>, saves, and goes to <paramref name="then"/>; a refusal stays on the page.</summary>
    protected async Task<IActionResult> ApplyAsync(Action change, string then)
    {
        try
        {
            change();
            await Repository.SaveAsync(HttpContext.RequestAborted);
            return Redirect(then);
        }
        catch (TransitionRefusedException e)
        {
            Error = e.Message;
            Unmet = e.Unmet;
        }
        catch (AccessDeniedException e) { Error = e.Message; }
        catch (Smpc.Analytics.SmpcException e) { Error = e.Message; }
        Repository.Db.ChangeTracker.Clear();         // nothing half-applied is saved by a later request of this scope
        return Page();
    }

    protected string StudyPath => $"/studies/{Study.Id}";

    /// <summary>The dataset of the route's <c>{datasetId}</c> (the access rule found it in this study before the page ran).</summary>
    public Dataset Dataset => Study.Datasets.First(d => d.Id == Guid.Parse((string)RouteData.Values["datasetId"]!));
}
