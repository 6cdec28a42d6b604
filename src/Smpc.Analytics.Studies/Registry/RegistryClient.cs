using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Smpc.Governance.Transparency;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Smpc.Analytics.Studies.Registry;

/// <summary>
/// A small client of the study registry's JSON API (<c>smpc registry</c>): the signed-in person's studies with the
/// status of each organisation, and the actions waiting on them with how long each has waited. Used by
/// <see cref="SecureStudy.ConnectRegistry"/>, the <c>smpc registry studies|actions</c> commands and the
/// <c>#!secure-study --registry</c> magic, and by a registry-gated party service to log what it computed
/// (<see cref="LogComputationAsync"/>). It knows the API's JSON shapes only, not the registry's code.
/// <para>Security: the credential is a personal access token (<c>smpc_pat_…</c>) sent as a bearer token. It is never
/// sent over plain HTTP except to a loopback address (the registry listens on loopback; other machines reach it
/// through a TLS reverse proxy), and never written into an error message.</para>
/// </summary>
public sealed partial class RegistryClient : IDisposable
{
    readonly HttpClient http;

    public Uri BaseAddress { get; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Where `smpc registry login` keeps the identity provider's token: $XDG_CONFIG_HOME/smpc/registry-token
    /// (else ~/.config/smpc/registry-token), readable by its owner only.</summary>
    public static string SavedTokenPath => Path.Combine(
        Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } config ? config : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config"),
        "smpc", "registry-token");

    /// <summary>The token `smpc registry login` saved, or null (the command line's and the notebook's default credential).</summary>
    public static string? SavedToken() => File.Exists(SavedTokenPath) ? File.ReadAllText(SavedTokenPath).Trim() : null;

    /// <param name="handler">For tests or proxies; null: a default handler.</param>
    public RegistryClient(string url, string token, HttpMessageHandler? handler = null)
    {
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new RegistryException($"--registry '{url}' is not an http(s) URL (e.g. http://127.0.0.1:5080).");
        if (uri.Scheme == "http" && !uri.IsLoopback)
            throw new RegistryException($"--registry '{url}' is plain http to another machine: the token would travel unencrypted. Use https.");
        if (string.IsNullOrWhiteSpace(token))
            throw new RegistryException("A registry token is needed: create a personal access token in the registry (POST /api/tokens) and pass it with --token.");
        BaseAddress = new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
        http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = BaseAddress;
        http.Timeout = TimeSpan.FromSeconds(30);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    /// <summary>A witness of this registry's transparency log with <paramref name="key"/>, checking heads against
    /// <paramref name="log"/> and keeping the last countersigned head in <paramref name="statePath"/> (the same check
    /// `smpc audit witness` runs).</summary>
    public RegistryWitness Witness(LogKey key, LogPublicKey log, string statePath) => new(http, key, log, statePath);

    /// <summary>Who the token belongs to.</summary>
    public Task<RegistryPerson> MeAsync(CancellationToken ct = default) => GetAsync<RegistryPerson>("api/me", ct);

    /// <summary>The person's studies, each with the status of every organisation taking part.</summary>
    public Task<IReadOnlyList<RegistryStudy>> StudiesAsync(CancellationToken ct = default) => GetAsync<IReadOnlyList<RegistryStudy>>("api/my/studies", ct);

    /// <summary>What is waiting on the person, longest-waiting first.</summary>
    public Task<IReadOnlyList<RegistryAction>> ActionsAsync(CancellationToken ct = default) => GetAsync<IReadOnlyList<RegistryAction>>("api/actions", ct);

    /// <summary>Appends what a compute party computed to the study's transparency log (the caller is the party's compute
    /// operator); returns the entry's index and the absolute URL of its inclusion proof.</summary>
    public async Task<ComputationLogged> LogComputationAsync(string studyId, ComputationRecord record, CancellationToken ct = default)
    {
        string path = $"api/studies/{Uri.EscapeDataString(studyId)}/log/computations";
        var logged = await SendAsync<ComputationLogged>("POST", path, () => http.PostAsync(path, JsonContent.Create(record, options: Json), ct), ct);
        return logged with { Proof = new Uri(BaseAddress, logged.Proof.TrimStart('/')).ToString() };
    }

    /// <summary>A work token for the caller, the study's analyst (POST /api/studies/{id}/work-token): what the study's
    /// registry-gated compute parties require with every request.</summary>
    public Task<RegistryWorkToken> WorkTokenAsync(string studyId, CancellationToken ct = default)
    {
        string path = $"api/studies/{Uri.EscapeDataString(studyId)}/work-token";
        return SendAsync<RegistryWorkToken>("POST", path, () => http.PostAsync(path, null, ct), ct);
    }

    /// <summary>The registry's work-token key (GET /api/work-token-key), which registry-gated compute parties pin.</summary>
    public async Task<LogPublicKey> WorkTokenKeyAsync(CancellationToken ct = default)
    {
        var key = await GetAsync<RegistryTokenKey>("api/work-token-key", ct);
        try { return new LogPublicKey(key.Name, Convert.FromBase64String(key.PublicKey)); }
        catch (FormatException) { throw new RegistryException($"The registry at {BaseAddress} sent a work-token key that is not base64."); }
    }

    sealed record RegistryTokenKey(string Name, string KeyId, string PublicKey);

    Task<T> GetAsync<T>(string path, CancellationToken ct) => SendAsync<T>("GET", path, () => http.GetAsync(path, ct), ct);

    /// <summary>One request and its JSON answer; every failure becomes a <see cref="RegistryException"/> naming the registry and the request.</summary>
    async Task<T> SendAsync<T>(string verb, string path, Func<Task<HttpResponseMessage>> send, CancellationToken ct)
    {
        HttpResponseMessage response;
        try { response = await send(); }
        catch (HttpRequestException e) { throw new RegistryException($"The registry at {BaseAddress} cannot be reached: {e.Message}"); }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested) { throw new RegistryException($"The registry at {BaseAddress} did not answer within 30 s."); }
        using (response)
        {
            string body = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
                throw new RegistryException($"The registry at {BaseAddress} refused the token (401): it is unknown, expired or revoked. Create a new one.");
            if (!response.IsSuccessStatusCode)
                throw new RegistryException($"The registry at {BaseAddress} answered {(int)response.StatusCode} to {verb} /{path}: {Detail(body)}");
            try { return JsonSerializer.Deserialize<T>(body, Json) ?? throw new JsonException("null"); }
            catch (JsonException e) { throw new RegistryException($"The registry at {BaseAddress} sent an answer to {verb} /{path} that is not the expected JSON: {e.Message}"); }
        }
    }

    static string Detail(string body)
    {
        try { using var doc = JsonDocument.Parse(body); return doc.RootElement.TryGetProperty("detail", out var d) ? d.GetString() ?? body : body; }
        catch (JsonException) { return body.Length > 200 ? body[..200] + "…" : body; }
    }

    public void Dispose() => http.Dispose();
}

/// <summary>A refusal or failure talking to the registry, in words (never containing the token).</summary>
public sealed class RegistryException(string message) : Exception(message);
