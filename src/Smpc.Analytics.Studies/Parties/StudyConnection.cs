// The analyst's side of the party services (SecureStudy.Connect): one TLS link to each of the three compute parties,
// the same request bytes to each, and a release accepted only when the three parties' replies agree. The analyst
// holds no share and no row; it receives releases (and refusals naming the rule). Protocol: PartyStudyHost.cs.
// Faults: the three replies are awaited together; when a party fails mid-request (its process or host stopped, its
// link broke or fell silent: FramedLink heartbeats), the surviving parties abort the job and say which party failed,
// and the analyst's error names that party and its endpoint. Nothing is released then: a release needs all three.
using System.Text.Json;
using Smpc.Analytics.Session;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Studies.Parties;

/// <summary>The party services refused a request; <see cref="Rule"/> names the data-use term or protocol rule.</summary>
public sealed class StudyRefusedException(string rule, string message) : SmpcException(message)
{
    public string Rule { get; } = rule;

    /// <summary>Where each registry-gated party logged the refusal in the registry's transparency log, else empty.</summary>
    public IReadOnlyList<LogEntryReference> LogEntries { get; init; } = [];
}

internal sealed class StudyConnection : IDisposable
{
    /// <summary>How long the other replies are awaited once one party is known to have failed.</summary>
    static readonly TimeSpan FailureGrace = TimeSpan.FromSeconds(3);

    readonly AnalystLink[] _links;
    readonly StudyCredentials? _credentials;
    readonly string[] _endpoints;
    readonly bool _typedRefusals;
    bool _disposed;

    StudyConnection(AnalystLink[] links, StudyCredentials? credentials, string[] endpoints, bool typedRefusals = false)
    {
        _links = links;
        _credentials = credentials;
        _endpoints = endpoints;
        _typedRefusals = typedRefusals;
    }

    /// <summary>The analyst's side of three in-process links to party services in this process (the embedded default).
    /// A refusal is raised as the exception a study on its own engine raises (PolicyException with its rule,
    /// QueryException, …), so the one-process study behaves as before to its callers.</summary>
    public static StudyConnection InProcess(AnalystLink[] links) =>
        new(links, null, [.. Enumerable.Range(0, 3).Select(p => $"in-process party {p}")], typedRefusals: true);

    public string Account => _links[0].Account;

    /// <summary>Connects to the three party services of <paramref name="config"/>; takes ownership of <paramref name="credentials"/>.</summary>
    public static StudyConnection Open(StudyConfig config, StudyCredentials credentials, TimeSpan timeout)
    {
        var links = new List<AnalystLink>();
        try
        {
            for (int p = 0; p < 3; p++) links.Add(AnalystLink.Dial(config, credentials, p, timeout));
            return new StudyConnection([.. links], credentials, [.. Enumerable.Range(0, 3).Select(p => config.EndPoint(p).ToString())]);
        }
        catch
        {
            foreach (var l in links) l.Dispose();
            credentials.Dispose();
            throw;
        }
    }

    /// <summary>This connection's review key pair: releases held for a steward's review are sealed to its public key (sent
    /// with an aggregate or join request when the parties ask for it: rule OutputReviewKey). The private key stays with the
    /// analyst: in this process, and in the analyst's own store of held releases (HeldReleaseStore) so that a later
    /// session can open a release approved after this one ended.</summary>
    internal (string PublicKey, string PrivateKey) ReviewKeys { get; } = Smpc.Governance.Review.SealedBox.NewKeyPair();

    /// <summary>The last request's release held for review: what the parties answered, the cost, the log entries.</summary>
    internal (ReviewWire Review, OperationCost? Cost, IReadOnlyList<LogEntryReference> LogEntries)? LastHeld { get; private set; }

    /// <summary>The registry's work token sent with every request (registry-gated studies), or null.</summary>
    public string? WorkToken { get; set; }

    /// <summary>Where each party logged the last request's result or refusal in the registry's transparency log
    /// (registry-gated parties with a computation log), else empty.</summary>
    public IReadOnlyList<LogEntryReference> LastLogEntries { get; private set; } = [];

    /// <summary>Sends <paramref name="request"/> to the three parties and returns the result they agree on.</summary>
    public T Call<T>(PartyRequest request, out OperationCost? cost)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        LastLogEntries = [];
        LastHeld = null;
        var bytes = PartyWire.Encode(WorkToken is null || request.Op == PartyRequest.End ? request : request with { Token = WorkToken });
        foreach (var link in _links)
            try { link.Send(bytes); }
            catch (PeerFailureException) { }   // a party already gone: its receive below fails at once and is named there
        var replies = ReceiveAll().Select((frame, p) => PartyWire.Decode<PartyReply>(frame, $"reply of party {p}")).ToArray();
        LastLogEntries = [.. replies.Select((r, p) => r.LogEntry is { } e ? new LogEntryReference(p, e.Index, e.Url) : null).OfType<LogEntryReference>()];
        if (replies.All(r => r is { Ok: false, Rule: ReleaseReview.KeyRule }) && request is { Op: PartyRequest.AggregateOp or PartyRequest.JoinOp, ReviewKey: null })
            return Call<T>(request with { ReviewKey = ReviewKeys.PublicKey }, out cost);   // the terms require review: send the key, once
        if (replies.Any(r => !r.Ok))
        {
            var refusals = replies.Select((r, p) => (r, p)).Where(x => !x.r.Ok).ToArray();
            // A party that refuses for its own reason (LogConsistency) leaves the others refusing for want of agreement: name its reason.
            var first = refusals.FirstOrDefault(x => x.r.Rule != "RequestAgreement").r ?? refusals[0].r;
            bool same = refusals.Length == 3 && refusals.All(x => x.r.Rule == first.Rule && x.r.Error == first.Error);
            if (same && _typedRefusals && Typed(first) is { } typed) throw typed;
            throw new StudyRefusedException(first.Rule ?? "Refused", same ? first.Error ?? "refused"
                : $"The compute parties answered differently: {string.Join("; ", replies.Select((r, p) => $"party {p}: {(r.Ok ? "ran it" : $"refused ({r.Rule}: {r.Error})")}"))}.")
            { LogEntries = LastLogEntries };
        }
        var results = replies.Select(r => r.Result?.GetRawText() ?? "").ToArray();
        if (results.Distinct().Count() != 1)
            throw new SmpcException("The three compute parties returned different results for the same request; the release is not accepted (a party is faulty or out of step).");
        cost = replies.All(r => r.Cost is not null) ? PartyWire.Combine(replies.Select(r => r.Cost!).ToArray()) : null;
        if (replies.Any(r => r.Review is not null))
        {
            if (replies.Select(r => r.Review is { } v ? JsonSerializer.Serialize(v, PartyWire.Json) : "").Distinct().Count() != 1)
                throw new SmpcException("The three compute parties answered differently about holding the release for review; nothing is accepted (a party is faulty or out of step).");
            LastHeld = (replies[0].Review!, cost, LastLogEntries);
            throw ReleaseUnderReviewException.Waiting(replies[0].Review!, replies[0].Review!.WaitingFor);
        }
        if (replies[0].Result is not { } result) return default!;
        try { return result.Deserialize<T>(PartyWire.Json)!; }
        catch (JsonException e) { throw new SmpcException($"The compute parties' reply is not a valid {typeof(T).Name}: {e.Message}", e); }
    }

    /// <summary>The refusal as the exception the study code raised at the parties (the same message).</summary>
    static SmpcException? Typed(PartyReply refusal)
    {
        string error = refusal.Error ?? "refused", rule = refusal.Rule ?? "Refused";
        var policyPrefix = $"Refused by the data-use terms ({rule}): ";
        return refusal.Kind switch
        {
            nameof(PolicyException) => new PolicyException(rule, error.StartsWith(policyPrefix, StringComparison.Ordinal) ? error[policyPrefix.Length..] : error),
            "QueryException" => new Statistics.QueryException(error),
            "SchemaException" => new Columnar.SchemaException(error),
            "LinkageException" => new Linkage.LinkageException(error),
            nameof(RangeException) => new RangeException(error),
            "FilterSyntaxException" => new Statistics.FilterSyntaxException(error),
            nameof(ShapeException) => new ShapeException(error),
            _ => null,
        };
    }

    /// <summary>Called with each progress line party 0 sends while a request runs (the three send the same stages).</summary>
    public Action<string>? Progress { get; set; }

    /// <summary>A party's reply to the current request, after any progress lines it sent first.</summary>
    byte[] Reply(AnalystLink link, int party)
    {
        while (true)
        {
            var frame = link.Receive();
            if (frame.Length > 0 && frame.AsSpan().IndexOf("\"progress\""u8) >= 0
                && PartyWire.Decode<PartyReply>(frame, $"reply of party {party}") is { Progress: { } line })
            {
                if (party == 0)
                    try { Progress?.Invoke(line); }
                    catch (Exception e) when (e is not OutOfMemoryException) { }   // a display that fails does not fail the request
                continue;
            }
            return frame;
        }
    }

    /// <summary>The three parties' replies, awaited together. When a party fails, throws <see cref="PeerFailureException"/>
    /// naming it (id and endpoint) as the survivors and its own link report it, within <see cref="FailureGrace"/>.</summary>
    byte[][] ReceiveAll()
    {
        var pending = _links.Select((l, p) => Task.Factory.StartNew(() => Reply(l, p), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        var open = pending.ToList();
        while (open.Count > 0 && !pending.Any(t => t.IsFaulted))
            open.RemoveAt(Task.WaitAny([.. open]));
        if (!pending.Any(t => t.IsFaulted)) return [.. pending.Select(t => t.Result)];
        Task.WaitAny(Task.WhenAll(pending), Task.Delay(FailureGrace));
        var failures = pending.Select((t, p) => (p, e: t.IsFaulted ? t.Exception!.InnerException : null)).Where(x => x.e is not null).ToArray();
        var named = failures.Select(x => x.e is PeerFailureException f && f.Peer is >= 0 and <= 2 ? f.Peer : x.p).ToArray();
        int failed = named.GroupBy(p => p).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        var detail = string.Join(" ", failures.Select(x => $"[party {x.p}: {x.e!.Message}]"));
        throw new PeerFailureException(failed,
            $"Party {failed} ({_endpoints[failed]}) failed during the request; the other parties stopped the job and nothing was released. {detail}",
            failures[0].e!);
    }

    public void Dispose()
    {
        if (_disposed) return;
        try { Call<JsonElement?>(new PartyRequest { Op = PartyRequest.End }, out _); }
        catch (SmpcException) { }   // a party already gone: nothing to end
        _disposed = true;
        foreach (var l in _links) l.Dispose();
        _credentials?.Dispose();
    }
}
