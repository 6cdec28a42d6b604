// Work tokens revoked at the registry (a lost laptop, an analyst who left): a registry-gated compute party with the
// registry's url asks the registry for the study's revoked token ids (GET /api/studies/{id}/work-tokens/revoked, with
// its compute operator's token) before it accepts a request, and refuses a revoked token with rule TokenRevoked, merged
// with the ids its study.json lists (registry.revokedTokens). Nobody edits the parties' configuration or restarts them.
// The list is kept for a short while (Fresh, 10 s by default), so a burst of requests asks once. Everything else about
// a token is still checked offline with the pinned token key.
//
// When the registry cannot be asked, the party FAILS CLOSED, after a short grace: it keeps using the last list it
// fetched for up to MaxStale (2 minutes by default, well under a token's lifetime), and after that — or when it has
// never fetched one — it refuses every request with rule TokenRevocations, naming the registry and the error, until the
// registry answers again. A party that cannot learn whether a token is revoked does not compute with it: a registry
// made unreachable must not be the way to keep using a revoked token. (Such a party could not log its results at the
// registry either, rule ComputationLog.) A party without a registry url is unchanged: it honours its configured list.
using Smpc.Analytics.Studies.Registry;

namespace Smpc.Analytics.Studies.Parties;

/// <summary>Where a party learns which work tokens are revoked.</summary>
public interface ITokenRevocations
{
    /// <summary>The revoked token ids (throws when they cannot be learnt: the gate refuses, rule TokenRevocations).</summary>
    IReadOnlySet<string> Revoked();
}

/// <summary>The study's revoked token ids at the registry, asked with the compute operator's token, kept for
/// <see cref="Fresh"/>; the last list is used for up to <see cref="MaxStale"/> while the registry cannot be reached, then
/// every request is refused (fail-closed).</summary>
public sealed class RegistryTokenRevocations(Func<IReadOnlyList<string>> fetch, string registry, TimeProvider? clock = null) : ITokenRevocations
{
    readonly TimeProvider _clock = clock ?? TimeProvider.System;
    readonly Lock _lock = new();
    IReadOnlySet<string>? _last;
    DateTimeOffset _fetched;

    /// <param name="client">The registry, reached with the party's compute operator's token.</param>
    /// <param name="studyId">The study's id in the registry.</param>
    public RegistryTokenRevocations(RegistryClient client, string studyId, TimeProvider? clock = null)
        : this(() => client.RevokedWorkTokensAsync(studyId).GetAwaiter().GetResult(), client.BaseAddress.ToString(), clock) { }

    /// <summary>How long a fetched list is used without asking again.</summary>
    public TimeSpan Fresh { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the last list is used while the registry cannot be asked; after that, every request is refused.</summary>
    public TimeSpan MaxStale { get; init; } = TimeSpan.FromMinutes(2);

    public IReadOnlySet<string> Revoked()
    {
        lock (_lock)
        {
            var now = _clock.GetUtcNow();
            if (_last is { } fresh && now - _fetched < Fresh) return fresh;
            try
            {
                _last = fetch().ToHashSet(StringComparer.Ordinal);
                _fetched = now;
                return _last;
            }
            catch (Exception e) when (e is RegistryException or HttpRequestException or IOException or InvalidOperationException)
            {
                if (_last is { } stale && now - _fetched <= MaxStale) return stale;
                throw new TokenRevocationsUnknownException(_last is null
                    ? $"the registry at {registry} could not be asked which work tokens are revoked, so this party computes with none: {e.Message}"
                    : $"the registry at {registry} could not be asked which work tokens are revoked for {(now - _fetched).TotalSeconds:0} s (the last list is used for {MaxStale.TotalSeconds:0} s at most), so this party computes with none: {e.Message}");
            }
        }
    }
}

/// <summary>The revoked work tokens cannot be learnt (the gate refuses with rule TokenRevocations).</summary>
public sealed class TokenRevocationsUnknownException(string message) : Exception(message);
