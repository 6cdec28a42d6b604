// A witness of a running registry's log, over its JSON API: fetch the latest signed head (GET /api/log/head) and a
// consistency proof from the head this witness last countersigned (GET /api/log/consistency), check both with Witness,
// countersign and post the cosignature (POST /api/log/cosignatures), then keep the new head in the witness's state file.
// `smpc audit witness` runs it once; a registry-gated compute party runs it at service start and after each computation
// it logs. A head that does not extend the kept one (a rewritten, truncated or forked history) is refused with both
// heads named, and the kept head is not replaced.
using System.Net.Http.Json;
using System.Text.Json;

namespace Smpc.Governance.Transparency;

/// <summary>What one witnessing round did: the head countersigned and the one held before (null on first use).</summary>
public sealed record WitnessedHead(SignedTreeHead Head, SignedTreeHead? Previous, Cosignature Cosignature)
{
    public override string ToString() => $"countersigned the {Head}" + (Previous is null ? "" : $" (extends size {Previous.Size})");
}

public sealed class RegistryWitness(HttpClient http, LogKey key, LogPublicKey log, string statePath)
{
    readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The witness's public key (name and key id), as the registry's administrator registers it.</summary>
    public LogPublicKey PublicKey => key.Public;

    /// <summary>Where the last countersigned head is kept.</summary>
    public string StatePath { get; } = Path.GetFullPath(statePath);

    /// <summary>The head kept in <see cref="StatePath"/>, or null when this witness has countersigned none yet.</summary>
    public SignedTreeHead? Held() => File.Exists(StatePath) ? Read(File.ReadAllText(StatePath), StatePath) : null;

    /// <summary>Checks the registry's latest head against the held one, countersigns it, posts the cosignature and keeps
    /// the head. Throws <see cref="LogForkException"/> (both heads named) or <see cref="LogVerificationException"/> when
    /// the head must not be countersigned — the held head is kept — and <see cref="LogFormatException"/>,
    /// <see cref="HttpRequestException"/> or <see cref="TaskCanceledException"/> when the registry cannot be asked.</summary>
    public async Task<WitnessedHead> CosignLatestAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var last = Held();
            var head = Read(await GetAsync("api/log/head", ct), "the registry's head");
            long from = last is null ? head.Size : Math.Min(last.Size, head.Size);
            using var proofDoc = JsonDocument.Parse(await GetAsync($"api/log/consistency?from={from}&to={head.Size}", ct));
            var proof = proofDoc.RootElement.GetProperty("proof").EnumerateArray().Select(p => Convert.FromHexString(p.GetString()!)).ToList();
            var c = new Witness(key, log, last).Cosign(head, proof, DateTime.UtcNow);
            using var posted = await http.PostAsJsonAsync("api/log/cosignatures", new
            {
                size = head.Size, witness = c.Witness, keyId = c.KeyId, time = c.Time, signature = Convert.ToBase64String(c.Signature),
            }, ct);
            if (!posted.IsSuccessStatusCode)
                throw new LogFormatException($"The registry refused {key.Public}'s cosignature: {(int)posted.StatusCode} {await posted.Content.ReadAsStringAsync(ct)}");
            Directory.CreateDirectory(Path.GetDirectoryName(StatePath)!);
            var temp = StatePath + ".tmp";
            File.WriteAllText(temp, head.ToJson());
            File.Move(temp, StatePath, overwrite: true);
            return new WitnessedHead(head, last, c);
        }
        finally { _gate.Release(); }
    }

    async Task<string> GetAsync(string path, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new LogFormatException($"GET /{path}: {(int)response.StatusCode} {body}");
        return body;
    }

    static SignedTreeHead Read(string json, string where)
    {
        using var doc = JsonDocument.Parse(json);
        return SignedTreeHead.Read(doc.RootElement, where);
    }
}
