using System.Diagnostics;

namespace Smpc.Analytics.Session;

/// <summary>
/// The links between the three compute parties as a protocol sees them, measured when the parties start serving a
/// study: the time of one protocol round (every party sends to the next and receives from the previous, as in a
/// multiplication) and the throughput of one large message, each the slowest of the three parties. An explanation's
/// expected time is rounds × <see cref="SecondsPerRound"/> + bytes per party ÷ <see cref="BytesPerSecond"/> + the
/// computation.
/// </summary>
public sealed record MeasuredLink(string Kind, double SecondsPerRound, double BytesPerSecond)
{
    const int Pings = 8, ProbeBytes = 1024 * 1024;

    /// <summary>No link: the plaintext reference, or an engine whose links were not measured.</summary>
    public static readonly MeasuredLink None = new("not measured", 0, double.PositiveInfinity);

    /// <summary>The expected wall time of an operation with these counts on this link.</summary>
    public TimeSpan Expected(long rounds, long bytesPerParty, TimeSpan computation) =>
        TimeSpan.FromSeconds(rounds * SecondsPerRound + (double.IsInfinity(BytesPerSecond) ? 0 : bytesPerParty / BytesPerSecond)) + computation;

    public override string ToString() => double.IsInfinity(BytesPerSecond)
        ? Kind
        : $"{Kind}: {SecondsPerRound * 1000:0.###} ms per round, {BytesPerSecond * 8 / 1e6:N0} Mbit/s";

    /// <summary>Classifies a measured round time: in-process or loopback below 0.5 ms, LAN below 5 ms, WAN above.</summary>
    public static string KindOf(double secondsPerRound) => secondsPerRound switch
    {
        < 0.0005 => "loopback",
        < 0.005 => "LAN",
        _ => "WAN",
    };

    /// <summary>Measures the links of <paramref name="session"/>; the three parties call it at the same point and get the
    /// same profile (each sends its measurement to both peers and all take the slowest).</summary>
    /// <param name="kind">The kind when it is known rather than measured ("in-process": the parties share a process and
    /// its memory, whatever the machine's load makes a round cost); null: classified from the round time.</param>
    public static MeasuredLink Measure(MpcSession session, string? kind = null)
    {
        // Rounds in a row, each waiting for the previous one's message (as a protocol's rounds do), after one round that
        // lines the three parties up: the steady time per round, not the skew between their start times.
        var one = new byte[1];
        session.Next.Send(one);
        session.Prev.Receive(one);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Pings; i++)
        {
            session.Next.Send(one);
            session.Prev.Receive(one);
        }
        double best = clock.Elapsed.TotalSeconds / Pings;
        var probe = new byte[ProbeBytes];
        var timer = Stopwatch.StartNew();
        session.Next.Send(probe);
        session.Prev.Receive(probe);
        double transfer = Math.Max(timer.Elapsed.TotalSeconds - best, 1e-6);
        double throughput = ProbeBytes / transfer;

        var mine = new byte[16];
        BitConverter.TryWriteBytes(mine.AsSpan(0, 8), best);
        BitConverter.TryWriteBytes(mine.AsSpan(8, 8), throughput);
        session.Next.Send(mine);
        session.Prev.Send(mine);
        var fromNext = session.Next.Receive();
        var fromPrev = session.Prev.Receive();
        double round = Math.Max(best, Math.Max(BitConverter.ToDouble(fromNext, 0), BitConverter.ToDouble(fromPrev, 0)));
        double rate = Math.Min(throughput, Math.Min(BitConverter.ToDouble(fromNext, 8), BitConverter.ToDouble(fromPrev, 8)));
        // Rounded so that the three parties' replies built from it are equal byte for byte.
        round = Math.Round(round, 6);
        rate = Math.Round(rate / 1000) * 1000;
        return new MeasuredLink(kind ?? KindOf(round), round, rate);
    }
}
