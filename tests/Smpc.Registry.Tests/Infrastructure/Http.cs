using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;

namespace Smpc.Registry.Tests.Infrastructure;

/// <summary>What a browser or a command-line user does: sign in through the form, or carry a personal access token.</summary>
internal static partial class Http
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    /// <summary>Posts the sign-in form as a browser would (antiforgery token from the page, cookies kept).</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password)
    {
        var page = await client.GetStringAsync("/account/signin");
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        return await client.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = password, ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
        }));
    }

    /// <summary>Issues a personal access token for the account with this email, straight in the database, and enrols
    /// the account in two-factor (coordinators and data stewards cannot act without it).</summary>
    public static Task<string> TokenAsync(RegistryServer server, string email) => server.WithDbAsync(async (db, users) =>
    {
        var user = await db.Users.FirstAsync(u => u.Email == email);
        await EnrolTotpAsync(users, user);
        string token = PersonalAccessTokens.Issue(db, user, "test", DateTime.UtcNow, TimeSpan.FromDays(1));
        await db.SaveChangesAsync();
        return token;
    });

    /// <summary>Enrols an authenticator for the account as the enrolment page does; returns the shared key (base32).</summary>
    public static async Task<string> EnrolTotpAsync(UserManager<RegistryUser> users, RegistryUser user)
    {
        if (string.IsNullOrEmpty(await users.GetAuthenticatorKeyAsync(user))) await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        return (await users.GetAuthenticatorKeyAsync(user))!;
    }

    public static HttpClient WithToken(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    public static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
}
