using System.CommandLine;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Smpc.Analytics.Studies.Registry;

namespace Smpc.Cli.Commands;

/// <summary>
/// `smpc registry login --registry URL --organisation SLUG [--port N] [--print | --token-file FILE]`: signs in through the
/// organisation's own OpenID Connect provider, as a native app does (RFC 8252): authorization code with PKCE (S256), a
/// state and a nonce, the redirect to a one-shot listener on 127.0.0.1; prints the URL to open, exchanges the code at
/// the provider's token endpoint as the public client the registry names (<c>smpc-cli</c> by default), checks the ID
/// token's nonce, and keeps the ID token for `smpc registry studies|actions` and notebooks (`--token`), which send it
/// as the bearer credential; the registry checks its signature, issuer, audience and expiry against the provider itself.
/// Saved to ~/.config/smpc/registry-token (mode 600) unless --print writes it to standard output.
/// </summary>
internal static class RegistryLoginCommand
{
    public static Command Create()
    {
        var registry = new Option<string>("--registry") { Description = "URL of the registry.", Required = true };
        var organisation = new Option<string>("--organisation") { Description = "Your organisation (its short name in the registry, e.g. bank).", Required = true };
        var port = new Option<int>("--port") { Description = "Loopback port for the provider's redirect (the provider registers http://127.0.0.1:PORT/callback).", DefaultValueFactory = _ => 8765 };
        var print = new Option<bool>("--print") { Description = "Write the token to standard output instead of saving it." };
        var file = new Option<string?>("--token-file") { Description = $"Where to save the token (default {RegistryClient.SavedTokenPath})." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for the sign-in in the browser.", DefaultValueFactory = _ => 300 };
        var command = new Command("login", "Sign in through your organisation's identity provider (OpenID Connect) and keep the token for smpc registry studies|actions and notebooks.")
        {
            registry, organisation, port, print, file, timeout,
        };
        command.SetAction(async (result, cancel) =>
        {
            try
            {
                var token = await LoginAsync(result.GetValue(registry)!, result.GetValue(organisation)!, result.GetValue(port), TimeSpan.FromSeconds(result.GetValue(timeout)), cancel);
                if (result.GetValue(print)) { Console.Out.WriteLine(token.IdToken); return 0; }
                string path = result.GetValue(file) ?? RegistryClient.SavedTokenPath;
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                await File.WriteAllTextAsync(path, token.IdToken + "\n", cancel);
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                Console.Error.WriteLine($"signed in as {token.Email ?? token.Subject}; the token (valid until {token.Expires:yyyy-MM-dd HH:mm} UTC) is in {path}");
                return 0;
            }
            catch (LoginException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    sealed class LoginException(string message) : Exception(message);

    public sealed record LoginToken(string IdToken, string Subject, string? Email, DateTime Expires);

    static async Task<LoginToken> LoginAsync(string registryUrl, string organisation, int port, TimeSpan timeout, CancellationToken cancel)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        JsonElement provider;
        try
        {
            var providers = await http.GetFromJsonAsync<JsonElement>(new Uri(new Uri(registryUrl.TrimEnd('/') + "/"), "account/providers"), cancel);
            provider = providers.EnumerateArray().FirstOrDefault(p => p.GetProperty("organisation").GetString() == organisation);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException) { throw new LoginException($"the registry at {registryUrl} cannot be read: {e.Message}"); }
        if (provider.ValueKind != JsonValueKind.Object) throw new LoginException($"organisation '{organisation}' signs in with no identity provider of its own at {registryUrl} (use a personal access token)");
        string authority = provider.GetProperty("authority").GetString()!.TrimEnd('/');
        string clientId = provider.GetProperty("commandLineClientId").GetString()!;
        JsonElement discovery;
        try { discovery = await http.GetFromJsonAsync<JsonElement>(authority + "/.well-known/openid-configuration", cancel); }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException) { throw new LoginException($"{authority} cannot be read: {e.Message}"); }

        string verifier = Base64Url(RandomNumberGenerator.GetBytes(32)), state = Base64Url(RandomNumberGenerator.GetBytes(16)), nonce = Base64Url(RandomNumberGenerator.GetBytes(16));
        string challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        string redirect = $"http://127.0.0.1:{port}/callback";
        string url = discovery.GetProperty("authorization_endpoint").GetString() + "?" + string.Join("&", new Dictionary<string, string>
        {
            ["response_type"] = "code", ["client_id"] = clientId, ["redirect_uri"] = redirect, ["scope"] = "openid email profile",
            ["state"] = state, ["nonce"] = nonce, ["code_challenge"] = challenge, ["code_challenge_method"] = "S256",
        }.Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value)}"));

        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/callback/");
        try { listener.Start(); }
        catch (HttpListenerException e) { throw new LoginException($"cannot listen on 127.0.0.1:{port} for the sign-in's redirect ({e.Message}); choose another --port registered at the provider"); }
        Console.Error.WriteLine($"Open this address in your browser to sign in with {provider.GetProperty("displayName").GetString()}:");
        Console.Error.WriteLine(url);
        var pending = listener.GetContextAsync();
        if (await Task.WhenAny(pending, Task.Delay(timeout, cancel)) != pending) throw new LoginException($"no sign-in within {timeout.TotalSeconds:N0} s");
        var context = await pending;
        var query = System.Web.HttpUtility.ParseQueryString(context.Request.Url!.Query);
        string? code = query["code"], error = query["error"];
        bool stateOk = query["state"] == state;
        string page = code is not null && stateOk ? "Signed in: return to the terminal." : $"Sign-in failed: {error ?? "the answer does not belong to this sign-in"}.";
        var body = Encoding.UTF8.GetBytes($"<!DOCTYPE html><html><body><p>{WebUtility.HtmlEncode(page)}</p></body></html>");
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.OutputStream.WriteAsync(body, cancel);
        context.Response.Close();
        if (!stateOk) throw new LoginException("the redirect's state is not this sign-in's (an answer to another request was refused)");
        if (code is null) throw new LoginException($"the provider refused the sign-in: {error} {query["error_description"]}".TrimEnd());

        using var exchange = await http.PostAsync(discovery.GetProperty("token_endpoint").GetString(), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = redirect, ["client_id"] = clientId, ["code_verifier"] = verifier,
        }), cancel);
        var answer = await exchange.Content.ReadFromJsonAsync<JsonElement>(cancel);
        if (!exchange.IsSuccessStatusCode || !answer.TryGetProperty("id_token", out var idToken))
            throw new LoginException($"the provider gave no ID token: {answer}");
        var jwt = idToken.GetString()!;
        var claims = JsonDocument.Parse(FromBase64Url(jwt.Split('.')[1])).RootElement;
        if (!claims.TryGetProperty("nonce", out var n) || n.GetString() != nonce) throw new LoginException("the ID token's nonce is not this sign-in's");
        return new LoginToken(jwt, claims.GetProperty("sub").GetString()!, claims.TryGetProperty("email", out var email) ? email.GetString() : null,
            DateTimeOffset.FromUnixTimeSeconds(claims.GetProperty("exp").GetInt64()).UtcDateTime);
    }

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static byte[] FromBase64Url(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }
}
