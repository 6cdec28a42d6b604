using System.Net;
using System.Text.RegularExpressions;

namespace Smpc.Registry.Tests.Infrastructure;

/// <summary>Posting a page's form as a browser would: the antiforgery token read from the page, cookies kept.</summary>
internal static partial class Forms
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string page, Dictionary<string, string> fields, string? action = null)
    {
        var html = await client.GetStringAsync(page);
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value);
        return await client.PostAsync(action ?? page, new FormUrlEncodedContent(fields));
    }

    /// <summary>Password, then the authenticator code: the two steps of sign-in for an account with two-factor.</summary>
    public static async Task<HttpResponseMessage> SignInWithCodeAsync(HttpClient client, string email, string password, string base32Key)
    {
        var first = await Http.SignInAsync(client, email, password);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.StartsWith("/account/signin/two-factor", first.Headers.Location!.OriginalString);
        return await PostAsync(client, "/account/signin/two-factor", new() { ["Code"] = Totp.Code(base32Key, DateTimeOffset.UtcNow) });
    }
}
