using System.Text.Json;
using Smpc.Analytics;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Session;
using Smpc.Analytics.Transport;

namespace Smpc.Cli.Commands;

/// <summary>Runs one compute party: TLS mesh, session, then the demo program (or, with --serve, the remote engine).</summary>
internal static class PartyRun
{
    public sealed record Arguments(int Id, FileInfo Config, FileInfo? Output, int Rows, int Seed, TimeSpan ConnectTimeout, TimeSpan ReceiveTimeout, bool Serve);

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static int Execute(Arguments args)
    {
        string who = $"party {args.Id}";
        if ((uint)args.Id > 2) { Console.Error.WriteLine($"{who}: error: party id must be 0, 1 or 2; got {args.Id}."); return 2; }
        if (args.Rows < 1) { Console.Error.WriteLine($"{who}: error: --rows must be at least 1; got {args.Rows}."); return 2; }
        TlsNetwork? network = null;
        try
        {
            var config = StudyConfig.Load(args.Config.FullName);
            using var credentials = StudyCredentials.Load(config, StudyMember.Party(args.Id));
            var options = new TlsNetworkOptions { ConnectTimeout = args.ConnectTimeout, Link = new FramedLinkOptions { ReceiveTimeout = args.ReceiveTimeout } };
            Console.WriteLine($"{who}: study '{config.Study}', listening on {config.EndPoint(args.Id)}, connecting to the other parties");
            network = TlsNetwork.Connect(config, credentials, options, acceptAnalyst: args.Serve);
            Console.WriteLine($"{who}: connected to parties {network.Prev.Peer} and {network.Next.Peer} over TLS 1.3 (mutual certificates)");
            var session = MpcSession.Establish(args.Id, network.Next, network.Prev, new MpcOptions { ReceiveTimeout = args.ReceiveTimeout });
            if (args.Serve) return Serve(network, session, who);
            return RunDemo(args, session, who);
        }
        catch (Exception e) when (e is SmpcException or IOException or UnauthorizedAccessException)
        {
            network?.Abort(e);
            Console.Error.WriteLine($"{who}: error: {e.Message}");
            return e is PeerFailureException or CertificateRefusedException ? 3 : 1;
        }
        finally
        {
            network?.Dispose();
        }
    }

    static int RunDemo(Arguments args, MpcSession session, string who)
    {
        var started = DateTime.UtcNow;
        var result = PartyDemo.Run(session, args.Rows, args.Seed);
        var seconds = (DateTime.UtcNow - started).TotalSeconds;
        var path = args.Output?.FullName ?? Path.GetFullPath(Path.Combine("out", $"party-{args.Id}.json"));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(result, Json) + "\n");
        int trues = result.LessThan.Count(b => b);
        Console.WriteLine($"{who}: {result.Rows} rows, seed {result.Seed}");
        Console.WriteLine($"{who}:   dot product (party 0's column · party 1's column) = {result.DotProduct}");
        Console.WriteLine($"{who}:   fixed-point products x·y (f = {result.FractionBits}): first {string.Join(", ", result.FixedProducts.Take(3).Select(v => v.ToString("G8")))}");
        Console.WriteLine($"{who}:   comparison a < b: {trues} of {result.Rows} true");
        Console.WriteLine($"{who}:   {result.Traffic.BytesSent:N0} bytes sent, {result.Traffic.BytesReceived:N0} received, {result.Traffic.Rounds} rounds, {seconds:F2} s");
        Console.WriteLine($"{who}: results written to {path}");
        return 0;
    }

    static int Serve(TlsNetwork network, MpcSession session, string who)
    {
        Console.WriteLine($"{who}: serving the analyst's RemoteEngine (commands over TLS; stop with Ctrl+C or an analyst's shutdown)");
        RemoteEngineServer.Serve(network, session, line => Console.WriteLine($"{who}: {line}"));
        Console.WriteLine($"{who}: stopped");
        return 0;
    }
}
