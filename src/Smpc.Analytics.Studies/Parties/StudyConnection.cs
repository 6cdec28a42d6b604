// The analyst's side of the party services (SecureStudy.Connect): one TLS link to each of the three compute parties,
// the same request bytes to each, and a release accepted only when the three parties' replies agree. The analyst
// holds no share and no row; it receives releases (and refusals naming the rule). Protocol: PartyStudyHost.cs.
using System.Text.Json;
using Smpc.Analytics.Session;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Studies.Parties;

/// <summary>The party services refused a request; <see cref="Rule"/> names the data-use term or protocol rule.</summary>
public sealed class StudyRefusedException(string rule, string message) : SmpcException(message)
{
    public string Rule { get; } = rule;
}

internal sealed class StudyConnection : IDisposable
{
    readonly AnalystLink[] _links;
    readonly StudyCredentials _credentials;
    bool _disposed;

    StudyConnection(AnalystLink[] links, StudyCredentials credentials)
    {
        _links = links;
        _credentials = credentials;
    }

    public string Account => _links[0].Account;

    /// <summary>Connects to the three party services of <paramref name="config"/>; takes ownership of <paramref name="credentials"/>.</summary>
    public static StudyConnection Open(StudyConfig config, StudyCredentials credentials, TimeSpan timeout)
    {
        var links = new List<AnalystLink>();
        try
        {
            for (int p = 0; p < 3; p++) links.Add(AnalystLink.Dial(config, credentials, p, timeout));
            return new StudyConnection([.. links], credentials);
        }
        catch
        {
            foreach (var l in links) l.Dispose();
            credentials.Dispose();
            throw;
        }
    }

    /// <summary>The registry's work token sent with every request (registry-gated studies), or null.</summary>
    public string? WorkToken { get; set; }

    /// <summary>Sends <paramref name="request"/> to the three parties and returns the result they agree on.</summary>
    public T Call<T>(PartyRequest request, out OperationCost? cost)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var bytes = PartyWire.Encode(WorkToken is null || request.Op == PartyRequest.End ? request : request with { Token = WorkToken });
        foreach (var link in _links) link.Send(bytes);
        var replies = _links.Select(l => PartyWire.Decode<PartyReply>(l.Receive(), $"reply of party {l.Party}")).ToArray();
        if (replies.Any(r => !r.Ok))
        {
            var refusals = replies.Select((r, p) => (r, p)).Where(x => !x.r.Ok).ToArray();
            var first = refusals[0].r;
            bool same = refusals.Length == 3 && refusals.All(x => x.r.Rule == first.Rule && x.r.Error == first.Error);
            throw new StudyRefusedException(first.Rule ?? "Refused", same ? first.Error ?? "refused"
                : $"The compute parties answered differently: {string.Join("; ", replies.Select((r, p) => $"party {p}: {(r.Ok ? "ran it" : $"refused ({r.Rule}: {r.Error})")}"))}.");
        }
        var results = replies.Select(r => r.Result?.GetRawText() ?? "").ToArray();
        if (results.Distinct().Count() != 1)
            throw new SmpcException("The three compute parties returned different results for the same request; the release is not accepted (a party is faulty or out of step).");
        cost = replies.All(r => r.Cost is not null) ? PartyWire.Combine(replies.Select(r => r.Cost!).ToArray()) : null;
        if (replies[0].Result is not { } result) return default!;
        try { return result.Deserialize<T>(PartyWire.Json)!; }
        catch (JsonException e) { throw new SmpcException($"The compute parties' reply is not a valid {typeof(T).Name}: {e.Message}", e); }
    }

    public void Dispose()
    {
        if (_disposed) return;
        try { Call<JsonElement?>(new PartyRequest { Op = PartyRequest.End }, out _); }
        catch (SmpcException) { }   // a party already gone: nothing to end
        _disposed = true;
        foreach (var l in _links) l.Dispose();
        _credentials.Dispose();
    }
}
