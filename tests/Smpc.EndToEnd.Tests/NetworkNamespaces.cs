using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Diagnostics;

namespace Smpc.EndToEnd.Tests;

/// <summary>
/// Hosts on one emulated network, each its own Linux network namespace (<c>ip netns</c>): a hub namespace holds a
/// bridge, and every host namespace has one veth pair to it, its own address on 10.77.0.0/24 and loopback up.
/// Names are <c>smpc-&lt;test pid&gt;-&lt;host&gt;</c>; <see cref="Dispose"/> deletes them (their veths go with them),
/// and creating a network first deletes leftovers of test processes that no longer run. Needs root and iproute2.
/// </summary>
internal sealed class NetworkNamespaces : IDisposable
{
    const string Prefix = "smpc-";
    public const string Subnet = "10.77.0";
    readonly string _prefix = $"{Prefix}{Environment.ProcessId}-";
    readonly List<string> _created = [];

    /// <summary>The hub namespace: the bridge, and any address added with <see cref="AddHubAddress"/>.</summary>
    public string Hub => _prefix + "hub";

    /// <summary>Why namespaces cannot be made here (not root, no <c>ip</c>), or null when they can.</summary>
    public static string? Unavailable()
    {
        if (!OperatingSystem.IsLinux()) return "network namespaces need Linux";
        if (!Environment.IsPrivilegedProcess) return "creating network namespaces needs root (run the tests as root, as CI does)";
        try
        {
            var (code, _, error) = Ip("netns", "list");
            return code == 0 ? null : $"`ip netns list` failed: {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception) { return "the `ip` command (iproute2) is not installed"; }
    }

    /// <summary>Creates the hub with its bridge and one namespace per host, host i at 10.77.0.(10+i).</summary>
    public NetworkNamespaces(IReadOnlyList<string> hosts)
    {
        RemoveLeftovers();
        try
        {
            Run("netns", "add", Hub);
            _created.Add(Hub);
            Run("-n", Hub, "link", "set", "lo", "up");
            Run("-n", Hub, "link", "add", "br0", "type", "bridge");
            Run("-n", Hub, "link", "set", "br0", "up");
            for (int i = 0; i < hosts.Count; i++)
            {
                var ns = Namespace(hosts[i]);
                Run("netns", "add", ns);
                _created.Add(ns);
                Run("-n", ns, "link", "set", "lo", "up");
                Run("link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", $"v{i}", "netns", Hub);
                Run("-n", Hub, "link", "set", $"v{i}", "master", "br0");
                Run("-n", Hub, "link", "set", $"v{i}", "up");
                Run("-n", ns, "addr", "add", $"{Address(i)}/24", "dev", "eth0");
                Run("-n", ns, "link", "set", "eth0", "up");
            }
            Hosts = hosts;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public IReadOnlyList<string> Hosts { get; } = [];

    /// <summary>The namespace of <paramref name="host"/>.</summary>
    public string Namespace(string host) => _prefix + host;

    /// <summary>The address of the host at position <paramref name="index"/>.</summary>
    public static string Address(int index) => $"{Subnet}.{10 + index}";

    /// <summary>Adds <paramref name="address"/> to the hub's bridge (where relays listen for the hosts).</summary>
    public void AddHubAddress(string address) => Run("-n", Hub, "addr", "add", $"{address}/24", "dev", "br0");

    /// <summary>A TCP socket created inside <paramref name="host"/>'s namespace (it stays there, whichever thread uses
    /// it): so this test process talks from that host, as a process started there with <see cref="CliProcess.StartIn"/>
    /// does. Created on a thread of its own that enters the namespace (setns) and ends.</summary>
    public Socket TcpSocketIn(string host)
    {
        var path = $"/var/run/netns/{Namespace(host)}";
        Socket? socket = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle(path);
                if (SetNs((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                    throw new InvalidOperationException($"setns({path}) failed: errno {Marshal.GetLastPInvokeError()}");
                socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            }
            catch (Exception e) { failure = e; }
        }) { IsBackground = true, Name = $"socket in {host}" };
        thread.Start();
        thread.Join();
        return socket ?? throw new InvalidOperationException($"No socket in {Namespace(host)}: {failure?.Message}", failure);
    }

    /// <summary>An HTTP client whose connections start in <paramref name="host"/>'s namespace.</summary>
    public HttpClient HttpClientIn(string host, bool cookies = false) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = cookies,
        ConnectCallback = async (context, cancel) =>
        {
            var socket = TcpSocketIn(host);
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancel);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    }) { Timeout = TimeSpan.FromSeconds(60) };

    const int CloneNewNet = 0x40000000;

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    static extern int SetNs(int fd, int nstype);

    public void Dispose()
    {
        foreach (var ns in Enumerable.Reverse(_created)) Ip("netns", "delete", ns);
        _created.Clear();
    }

    /// <summary>Deletes namespaces named smpc-&lt;pid&gt;-… whose test process has ended (a run killed before its cleanup).</summary>
    static void RemoveLeftovers()
    {
        var (_, output, _) = Ip("netns", "list");
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var name = line.Split(' ')[0];
            if (!name.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            var pid = name[Prefix.Length..].Split('-')[0];
            if (int.TryParse(pid, out var id) && (id == Environment.ProcessId || !Directory.Exists($"/proc/{id}")))
                Ip("netns", "delete", name);
        }
    }

    static void Run(params string[] args)
    {
        var (code, _, error) = Ip(args);
        if (code != 0) throw new InvalidOperationException($"`ip {string.Join(' ', args)}` failed ({code}): {error.Trim()}");
    }

    static (int Code, string Output, string Error) Ip(params string[] args)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output.Result, error);
    }
}

/// <summary>A fact that needs network namespaces: skipped, with the reason, when <see cref="NetworkNamespaces.Unavailable"/>.</summary>
public sealed class NetworkNamespacesFactAttribute : FactAttribute
{
    public NetworkNamespacesFactAttribute()
    {
        if (NetworkNamespaces.Unavailable() is { } reason) Skip = reason;
    }
}
