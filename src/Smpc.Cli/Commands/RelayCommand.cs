using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using Smpc.Analytics;
using Smpc.Analytics.Transport;

namespace Smpc.Cli.Commands;

/// <summary>
/// `smpc relay`: an emulated wide-area link in front of one or more endpoints (<see cref="LinkRelay"/>), for
/// measuring a study as if its parties sat in different cities on a machine whose kernel has no netem. Each
/// <c>--listen</c> is paired with the <c>--to</c> at the same position; every connection accepted there is forwarded
/// to its target with the profile's one-way delay and rate in each direction, so a round trip costs the profile's RTT.
/// </summary>
internal static class RelayCommand
{
    public static Command Create()
    {
        var listen = new Option<string[]>("--listen") { Description = "ADDR:PORT to accept connections on; repeat, one per --to.", Required = true, AllowMultipleArgumentsPerToken = false };
        var to = new Option<string[]>("--to") { Description = "ADDR:PORT to forward the connections of the --listen at the same position to.", Required = true, AllowMultipleArgumentsPerToken = false };
        var profile = new Option<string>("--profile")
        {
            Description = $"The link: {string.Join(", ", LinkProfile.All)}, or RTT-ms/Mbit (e.g. 40/200).",
            DefaultValueFactory = _ => LinkProfile.Wan20.Name,
        };
        var command = new Command("relay", "Forward TCP connections through an emulated wide-area link (added round-trip time and rate limit in both directions) until stopped with Ctrl+C or SIGTERM. Relays TLS bytes unchanged; it sees ciphertext only.")
        {
            listen, to, profile,
        };
        command.SetAction(result => Run(result.GetValue(listen) ?? [], result.GetValue(to) ?? [], result.GetValue(profile)!));
        return command;
    }

    static int Run(string[] listen, string[] to, string profileText)
    {
        var relays = new List<LinkRelay>();
        try
        {
            var profile = LinkProfile.Parse(profileText);
            if (listen.Length != to.Length)
                throw new SmpcException($"each --listen needs its --to: got {listen.Length} --listen and {to.Length} --to.");
            for (int i = 0; i < listen.Length; i++)
            {
                var target = Parse(to[i], "--to");
                var relay = new LinkRelay(Parse(listen[i], "--listen"), target, profile, from => Console.WriteLine($"relay: connection from {from} to {target}"));
                relays.Add(relay);
                Console.WriteLine($"relay: {relay.EndPoint} -> {to[i]} ({profile})");
            }
            Console.WriteLine("relay: ready");
            using var stop = new ManualResetEventSlim();
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Set(); });
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Set(); });
            stop.Wait();
            return 0;
        }
        catch (Exception e) when (e is SmpcException or ArgumentException)
        {
            Console.Error.WriteLine($"relay: error: {e.Message}");
            return 2;
        }
        finally
        {
            foreach (var r in relays) r.Dispose();
        }
    }

    /// <summary>ADDR:PORT with the port written out (port 0 only for --listen: a free port, printed at start).</summary>
    static IPEndPoint Parse(string text, string option) =>
        IPEndPoint.TryParse(text, out var endpoint) && text.LastIndexOf(':') > text.LastIndexOf(']') && (endpoint.Port != 0 || option == "--listen")
            ? endpoint
            : throw new SmpcException($"{option} '{text}' is not ADDR:PORT (an IP address and a port, e.g. 10.0.0.2:47000).");
}
