using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Smpc.Governance.DataUse;
using Smpc.Governance;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;

namespace Smpc.Registry.Pages.Studies;

[AccessRule(StudyAction.DocumentTerms, AccessTarget.Dataset)]
public sealed class TermsModel(StudyRepository repository, TimeProvider clock) : StudyFormPage(repository, clock)
{
    [BindProperty] public string Json { get; set; } = "";

    public void OnGet() => Json = Dataset.CurrentTerms is { } t ? Pretty(t.CanonicalJson) : Pretty(JsonSerializer.Serialize(new DataUseTerms
    {
        Dataset = Dataset.Name, Steward = Me.Name, Purpose = Study.Purpose, Redisclosure = new RedisclosureTerms(),
    }, DataUseTerms.Json));

    public Task<IActionResult> OnPostAsync()
    {
        DataUseTerms terms;
        try { terms = TermsDocument.Parse(Json); }
        catch (Exception e) when (e is JsonException or Smpc.Analytics.SmpcException or ArgumentException)
        {
            Error = $"The terms are not valid: {e.Message}";
            return Task.FromResult<IActionResult>(Page());
        }
        return ApplyAsync(() => StudyLifecycle.DocumentTerms(Study, Actor, Dataset, terms, Now), StudyPath);
    }

    static string Pretty(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement, new JsonSerializerOptions { WriteIndented = true });
}
