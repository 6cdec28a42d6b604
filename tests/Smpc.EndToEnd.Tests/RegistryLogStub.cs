using System.Net;
using System.Text;
using System.Text.Json;
using Smpc.Governance.Transparency;

namespace Smpc.EndToEnd.Tests;

/// <summary>
/// The registry's computation-log endpoint as `smpc party serve` reaches it (POST /api/studies/{id}/log/computations
/// with a compute operator's bearer token), on loopback: each request's token, path and body are kept, and it answers
/// 201 with the next index, as the registry does. It keeps a real transparency log of those computations and serves what
/// witnessing parties ask of it: the latest signed head, consistency proofs, and cosignatures of registered witness keys
/// (checked, kept in <see cref="Cosigned"/>), and the study's revoked work-token ids (<see cref="Revoke"/>; who asked is
/// kept in <see cref="RevocationReads"/>). The registry itself is tested in Smpc.Registry.Tests.
/// </summary>
internal sealed class RegistryLogStub : IDisposable
{
    readonly HttpListener _listener = new();
    readonly Thread _thread;
    readonly Dictionary<string, LogPublicKey> _witnesses = [];

    /// <summary>The stub's log (one entry at start, one per computation posted).</summary>
    public TransparencyLog Log { get; } = new(LogKey.Generate("registry"));

    /// <summary>Cosignatures accepted: the witness's name and the size of the head it countersigned.</summary>
    public List<(string Witness, long Size)> Cosigned { get; } = [];

    readonly List<string> _revoked = [];

    /// <summary>Revokes a work token, as the registry's revocation endpoint does: the parties refuse it from their next
    /// fetch of GET /api/studies/{id}/work-tokens/revoked on.</summary>
    public void Revoke(string tokenId) { lock (_revoked) _revoked.Add(tokenId); }

    /// <summary>The bearer token of every read of the revoked-token list.</summary>
    public List<string?> RevocationReads { get; } = [];

    public void RegisterWitness(LogPublicKey key) { lock (_witnesses) _witnesses[key.KeyId] = key; }

    public sealed record Posted(string? Token, string Path, string Body)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    }

    public List<Posted> Requests { get; } = [];
    public string Url { get; }

    public RegistryLogStub()
    {
        int port = CliProcess.FreePorts(1)[0];
        Url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        Log.Append(LogEntryKind.Account, DateTime.UtcNow, "registry started");
        _thread = new Thread(Serve) { IsBackground = true, Name = "registry-log-stub" };
        _thread.Start();
    }

    void Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = _listener.GetContext(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            using var reader = new StreamReader(ctx.Request.InputStream, Encoding.UTF8);
            var posted = new Posted(ctx.Request.Headers["Authorization"]?.Replace("Bearer ", ""), ctx.Request.Url!.AbsolutePath, reader.ReadToEnd());
            var (status, answer) = Answer(posted, ctx.Request);
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "application/json";
            ctx.Response.OutputStream.Write(Encoding.UTF8.GetBytes(answer));
            ctx.Response.Close();
        }
    }

    (int Status, string Body) Answer(Posted posted, HttpListenerRequest request)
    {
        switch (posted.Path)
        {
            case "/api/log/head":
                return (200, Log.Latest!.ToJson());
            case "/api/log/consistency":
                long from = long.Parse(request.QueryString["from"]!), to = long.Parse(request.QueryString["to"]!);
                var proof = Log.ProveConsistency(from, to).Select(p => $"\"{Convert.ToHexStringLower(p)}\"");
                return (200, $$"""{"from":{{from}},"to":{{to}},"proof":[{{string.Join(",", proof)}}]}""");
            case "/api/log/cosignatures":
                var c = posted.Json;
                LogPublicKey? witness;
                lock (_witnesses) _witnesses.TryGetValue(c.GetProperty("keyId").GetString()!, out witness);
                if (witness is null) return (400, """{"detail":"witness key not registered"}""");
                long size = c.GetProperty("size").GetInt64();
                try
                {
                    Log.AddCosignature(size, new Cosignature(c.GetProperty("witness").GetString()!, witness.KeyId, c.GetProperty("time").GetDateTime(),
                        Convert.FromBase64String(c.GetProperty("signature").GetString()!)), witness);
                }
                catch (LogVerificationException e) { return (400, JsonSerializer.Serialize(new { detail = e.Message })); }
                lock (Cosigned) Cosigned.Add((witness.Name, size));
                return (204, "");
            case var path when path.StartsWith("/api/studies/", StringComparison.Ordinal) && path.EndsWith("/work-tokens/revoked", StringComparison.Ordinal):
                lock (RevocationReads) RevocationReads.Add(posted.Token);
                lock (_revoked) return (200, JsonSerializer.Serialize(new { study = path.Split('/')[3], revoked = _revoked }));
            default:
                long index;
                lock (Requests)
                {
                    Requests.Add(posted);
                    index = Log.Append(LogEntryKind.Query, DateTime.UtcNow, "computation").Entry.Index;
                }
                return (201, $$"""{"index":{{index}},"proof":"{{posted.Path.Replace("/computations", "")}}/{{index}}"}""");
        }
    }

    public IReadOnlyList<Posted> Snapshot() { lock (Requests) return [.. Requests]; }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _thread.Join(TimeSpan.FromSeconds(5));
    }
}
