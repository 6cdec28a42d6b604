using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Smpc.Analytics.Studies.Parties;
using Smpc.Analytics.Studies.Registry;
using Smpc.Governance.Transparency;

namespace Smpc.Analytics.Interactive.Tests.Remote;

/// <summary>
/// The part of the study registry's HTTP API that a notebook's output checking touches, on loopback (HttpListener): the
/// signed-in analyst's studies and actions (<c>#!secure-study --registry URL --study ID</c>), and a release held for review
/// as the analyst fetches it (GET /api/studies/{id}/reviews/{review}/release: 202 pending with whose review, rejected with
/// the reason, approved with the three parties' copies sealed to the analyst). The compute parties post their copies
/// here (<see cref="IReleaseReviews"/>) and log here (<see cref="Log"/>); the test decides as the steward would. The real
/// registry's endpoints and their rules are tested in Smpc.Registry.Tests (ReleaseReviewScenario, HeldJoinReviewScenario).
/// </summary>
internal sealed class ReviewRegistry : IReleaseReviews, IDisposable
{
    readonly HttpListener _listener = new();
    readonly string _token;
    readonly IReadOnlyDictionary<string, string> _stewards;
    readonly ConcurrentDictionary<string, List<ReleaseReviewSubmission>> _reviews = new();
    readonly ConcurrentDictionary<string, (bool Approved, string? Reason)> _decisions = new();
    long _entries;

    /// <param name="stewards">Each reviewing dataset's steward, as the registry names them in "waiting for".</param>
    public ReviewRegistry(Guid studyId, string analystToken, IReadOnlyDictionary<string, string> stewards)
    {
        StudyId = studyId;
        _token = analystToken;
        _stewards = stewards;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public Guid StudyId { get; }

    /// <summary>The ids of the reviews the parties posted, in order.</summary>
    public IReadOnlyList<string> ReviewIds { get { lock (_reviews) return [.. _reviews.Keys.Order(StringComparer.Ordinal)]; } }

    public void Submit(ReleaseReviewSubmission submission)
    {
        lock (_reviews) _reviews.GetOrAdd(submission.ReviewId, _ => []).Add(submission);
    }

    /// <summary>The steward's decision on <paramref name="reviewId"/>.</summary>
    public void Decide(string reviewId, bool approve, string? reason = null) => _decisions[reviewId] = (approve, reason);

    /// <summary>Party <paramref name="party"/>'s computation log: each entry numbered, its proof URL under this registry.</summary>
    public IComputationLog Log(int party) => new EntryLog(this);

    sealed class EntryLog(ReviewRegistry registry) : IComputationLog
    {
        public ComputationLogged Append(ComputationRecord record)
        {
            long index = Interlocked.Increment(ref registry._entries) - 1;
            return new ComputationLogged(index, $"{registry.Url}api/studies/{registry.StudyId}/log/{index}");
        }
    }

    async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            try { Answer(context); }
            finally { context.Response.Close(); }
        }
    }

    void Answer(HttpListenerContext context)
    {
        var response = context.Response;
        if (context.Request.Headers["Authorization"] != $"Bearer {_token}")
        {
            Write(response, 401, new { detail = "unknown token" });
            return;
        }
        string path = context.Request.Url!.AbsolutePath;
        string reviews = $"/api/studies/{StudyId}/reviews/";
        if (path == "/api/my/studies")
            Write(response, 200, new[] { new RegistryStudy(StudyId, "Veterans' financial well-being", "Analysis", DateTime.UtcNow, "Closed", ["Analyst"], [], 0) });
        else if (path == "/api/actions")
            Write(response, 200, Array.Empty<RegistryAction>());
        else if (path.StartsWith(reviews, StringComparison.Ordinal) && path.EndsWith("/release", StringComparison.Ordinal))
        {
            string id = path[reviews.Length..^"/release".Length];
            List<ReleaseReviewSubmission>? posted;
            lock (_reviews) posted = _reviews.TryGetValue(id, out var list) ? [.. list] : null;
            if (posted is null) Write(response, 404, new { detail = $"The study holds no release for review {id}." });
            else if (!_decisions.TryGetValue(id, out var decision))
                Write(response, 202, new ReviewedRelease(id, "pending", [.. posted[0].Stewards.Select(s => new ReleaseReviewer(s.Dataset, _stewards[s.Dataset]))], null, []));
            else if (!decision.Approved)
                Write(response, 200, new ReviewedRelease(id, "rejected", [], decision.Reason, []));
            else
                Write(response, 200, new ReviewedRelease(id, "approved", [], null, [.. posted.OrderBy(s => s.Party).Select(s => new PartySealedCopy(s.Party, s.ForAnalyst))]));
        }
        else Write(response, 404, new { detail = $"no {path}" });
    }

    static void Write<T>(HttpListenerResponse response, int status, T body)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body, RegistryClient.Json));
        response.OutputStream.Write(bytes);
    }

    public void Dispose() => _listener.Close();
}
