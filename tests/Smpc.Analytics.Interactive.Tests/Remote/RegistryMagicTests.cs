using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive;
using Smpc.Analytics.Interactive.Tests.Kernel;
using Smpc.EndToEnd.Tests;

namespace Smpc.Analytics.Interactive.Tests.Remote;

/// <summary>`#!secure-study --registry URL --token T` against the real `smpc registry --demo` on loopback: it lists the
/// signed-in person's studies and actions, shares them as variables, and fails the cell naming a refused token.</summary>
public sealed partial class RegistryMagicTests : IDisposable
{
    readonly CompositeKernel _kernel = TestKernel.Create();
    readonly string _dir = CliProcess.TempFolder("smpc-nb-registry");

    public void Dispose()
    {
        _kernel.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+)")] private static partial Regex Url();
    [GeneratedRegex(@"password of every demo person: (\S+)")] private static partial Regex DemoPassword();
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")] private static partial Regex Antiforgery();

    [Fact]
    public async Task It_lists_my_studies_and_actions_from_a_running_registry()
    {
        using var registry = CliProcess.Start(_dir, "registry", "--urls", "http://127.0.0.1:0", "--data", Path.Combine(_dir, "data"), "--demo");
        Assert.True(registry.WaitForOutput("Press Ctrl+C", TimeSpan.FromMinutes(2)), registry.ToString());
        string url = Url().Match(registry.Stdout).Groups[1].Value;
        string token = await TokenAsync(url, "alex.rivera@research.example", DemoPassword().Match(registry.Stdout).Groups[1].Value);

        var result = await _kernel.Run($"#!secure-study --registry {url} --token {token}");
        result.ShouldSucceed();
        var html = Assert.Single(result.Html(), h => h.Contains("smpc-registry"));
        Assert.Contains("Veterans&#39; financial well-being", html);
        Assert.Contains("My actions", html);
        Assert.Contains("owes:", html);                         // the bank's approval is outstanding
        Assert.DoesNotContain(token, html);
        Assert.Contains("Veterans&#39; earnings pilot", html);  // the demo's pilot, in its analysis
        Assert.Equal(2, (await _kernel.Run("myStudies.Count")).ReturnValue());
        Assert.Equal(true, (await _kernel.Run("myStudies.All(s => s.MyRoles.SequenceEqual(new[] { \"Analyst\" }))")).ReturnValue());

        // One study by its id: its status and only its actions, as myStudy; an unknown one names the person's studies.
        var id = (string)(await _kernel.Run("myStudies[0].StudyId.ToString()")).ReturnValue()!;
        var one = await _kernel.Run($"#!secure-study --registry {url} --token {token} --study {id}");
        one.ShouldSucceed();
        Assert.Equal(id, (await _kernel.Run("myStudy.StudyId.ToString()")).ReturnValue());
        Assert.Equal(true, (await _kernel.Run($"myActions.All(a => a.StudyId.ToString() == \"{id}\")")).ReturnValue());
        var unknown = await _kernel.Run($"#!secure-study --registry {url} --token {token} --study no-such-study");
        Assert.Contains("You are in no study 'no-such-study'", unknown.Failure());
        Assert.Contains("--study only applies with --registry", (await _kernel.Run("#!secure-study --open demo --study x")).Failure());

        var refused = await _kernel.Run($"#!secure-study --registry {url} --token smpc_pat_wrong");
        Assert.Contains("refused the token (401)", refused.Failure());
        Assert.Contains("--token only applies with --registry", (await _kernel.Run("#!secure-study --open demo --token x")).Failure());
    }

    /// <summary>Signs in through the form as a browser would and issues a personal access token.</summary>
    static async Task<string> TokenAsync(string url, string email, string password)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(url) };
        string page = await http.GetStringAsync("/account/signin");
        var signIn = await http.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = password, ["__RequestVerificationToken"] = WebUtility.HtmlDecode(Antiforgery().Match(page).Groups[1].Value),
        }));
        Assert.True((int)signIn.StatusCode is 200 or 302, $"sign-in answered {(int)signIn.StatusCode}");
        var issued = await http.PostAsJsonAsync("/api/tokens", new { name = "notebook", days = 1 });
        Assert.True(issued.IsSuccessStatusCode, await issued.Content.ReadAsStringAsync());
        using var doc = JsonDocument.Parse(await issued.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("token").GetString()!;
    }
}
