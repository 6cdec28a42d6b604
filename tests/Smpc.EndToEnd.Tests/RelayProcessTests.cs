using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Smpc.EndToEnd.Tests;

/// <summary>`smpc relay` as its own process: bytes come back unchanged and no round trip through it is shorter than
/// its profile's; bad endpoints are refused naming the option.</summary>
[Collection("processes")]
public sealed class RelayProcessTests
{
    static readonly TimeSpan Generous = TimeSpan.FromMinutes(2);

    [Fact]
    public void An_echo_round_trip_through_the_relay_takes_at_least_the_profiles_round_trip_time()
    {
        using var echo = new TcpListener(IPAddress.Loopback, 0);
        echo.Start();
        var server = new Thread(() =>
        {
            try
            {
                using var s = echo.AcceptSocket();
                var buffer = new byte[1 << 16];
                int n;
                while ((n = s.Receive(buffer)) > 0) s.Send(buffer, n, SocketFlags.None);
            }
            catch (SocketException) { }
        }) { IsBackground = true };
        server.Start();
        using var relay = CliProcess.Start(Directory.GetCurrentDirectory(), "relay", "--listen", "127.0.0.1:0", "--to", $"{echo.LocalEndpoint}", "--profile", "30/1000");
        Assert.True(relay.WaitForOutput("relay: ready", Generous), relay.ToString());
        var listening = IPEndPoint.Parse(Regex.Match(relay.Stdout, @"relay: (\S+) -> ").Groups[1].Value);
        Assert.Contains("(30 ms RTT, 1000 Mbit/s)", relay.Stdout);

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.Connect(listening);
        var ping = new byte[100];
        var pong = new byte[100];
        var times = new List<double>();
        for (int i = 0; i < 8; i++)
        {
            Random.Shared.NextBytes(ping);
            var clock = Stopwatch.StartNew();
            client.Send(ping);
            int got = 0;
            while (got < pong.Length) got += client.Receive(pong, got, pong.Length - got, SocketFlags.None);
            times.Add(clock.Elapsed.TotalMilliseconds);
            Assert.Equal(ping, pong);
        }
        Assert.True(times.Min() >= 30 * 0.999, $"fastest round trip {times.Min():F3} ms < 30 ms");
        Assert.True(relay.WaitForOutput("relay: connection from 127.0.0.1:", Generous), relay.ToString());
    }

    [Theory]
    [InlineData("--listen 127.0.0.1 --to 127.0.0.1:9", "--listen '127.0.0.1' is not ADDR:PORT")]
    [InlineData("--listen 127.0.0.1:0 --to somewhere:80", "--to 'somewhere:80' is not ADDR:PORT")]
    [InlineData("--listen 127.0.0.1:0 --listen 127.0.0.1:0 --to 127.0.0.1:9", "each --listen needs its --to: got 2 --listen and 1 --to")]
    [InlineData("--listen 127.0.0.1:0 --to 127.0.0.1:9 --profile slow", "Unknown link profile 'slow'")]
    public void Bad_arguments_are_refused_naming_the_option(string arguments, string message)
    {
        using var relay = CliProcess.Start(Directory.GetCurrentDirectory(), ["relay", .. arguments.Split(' ')]);
        Assert.Equal(2, relay.WaitForExit(Generous));
        Assert.Contains(message, relay.Stderr);
    }
}
