using System.Net;
using System.Text;
using System.Text.Json;

namespace Smpc.EndToEnd.Tests;

/// <summary>
/// The registry's computation-log endpoint as `smpc party serve` reaches it (POST /api/studies/{id}/log/computations
/// with a compute operator's bearer token), on loopback: each request's token, path and body are kept, and it answers
/// 201 with the next index, as the registry does. The registry itself is tested in Smpc.Registry.Tests.
/// </summary>
internal sealed class RegistryLogStub : IDisposable
{
    readonly HttpListener _listener = new();
    readonly Thread _thread;
    long _next = 100;

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
            long index;
            lock (Requests)
            {
                Requests.Add(posted);
                index = _next++;
            }
            var answer = Encoding.UTF8.GetBytes($$"""{"index":{{index}},"proof":"{{posted.Path.Replace("/computations", "")}}/{{index}}"}""");
            ctx.Response.StatusCode = 201;
            ctx.Response.ContentType = "application/json";
            ctx.Response.OutputStream.Write(answer);
            ctx.Response.Close();
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
