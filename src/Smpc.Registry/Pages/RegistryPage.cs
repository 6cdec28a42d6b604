using Microsoft.AspNetCore.Mvc.RazorPages;
using Smpc.Governance;
using Smpc.Registry.Auth;

namespace Smpc.Registry.Pages;

/// <summary>Base of the signed-in pages: the person and (on study pages) the study that <see cref="AccessMiddleware"/>
/// loaded after checking the page's <see cref="AccessRule"/>.</summary>
public abstract class RegistryPage : PageModel
{
    public Person Me => (Person)HttpContext.Items[AccessMiddleware.PersonKey]!;

    public static string Waited(TimeSpan t) => t.TotalDays >= 1 ? $"{(int)t.TotalDays} days" : t.TotalHours >= 1 ? $"{(int)t.TotalHours} hours" : "under an hour";
}
