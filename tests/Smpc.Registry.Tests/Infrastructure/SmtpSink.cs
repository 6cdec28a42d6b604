using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Smpc.Registry.Tests.Infrastructure;

/// <summary>
/// A minimal SMTP server on 127.0.0.1 (a free port) that accepts every message and keeps it (RFC 5321: greeting, EHLO,
/// MAIL, RCPT, DATA ended by a lone ".", QUIT), so the registry's SMTP path is tested over a real socket.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource stop = new();
    readonly Task loop;

    public List<string> Messages { get; } = [];

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public SmtpSink()
    {
        listener.Start();
        loop = Task.Run(AcceptAsync);
    }

    async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (OperationCanceledException) { return; }
            using (client) await ServeAsync(client);
        }
    }

    async Task ServeAsync(TcpClient client)
    {
        var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.ASCII);
        var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 sink.localhost ESMTP");
        while (await reader.ReadLineAsync() is { } line)
        {
            string verb = line.Split(' ')[0].ToUpperInvariant();
            if (verb is "EHLO" or "HELO") await writer.WriteLineAsync("250 sink.localhost");
            else if (verb == "DATA")
            {
                await writer.WriteLineAsync("354 end with <CRLF>.<CRLF>");
                var message = new StringBuilder();
                while (await reader.ReadLineAsync() is { } data && data != ".") message.Append(data).Append("\r\n");
                lock (Messages) Messages.Add(message.ToString());
                await writer.WriteLineAsync("250 queued");
            }
            else if (verb == "QUIT") { await writer.WriteLineAsync("221 bye"); return; }
            else await writer.WriteLineAsync("250 ok");
        }
    }

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        listener.Stop();
        try { await loop; } catch (SocketException) { } catch (ObjectDisposedException) { }
    }
}
