using Smpc.Analytics.Engine;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Tests.Security;

/// <summary>
/// Records every byte each compute party sends and receives while the engine runs every kind of
/// operation, and checks that no input value, no intermediate result and no output that was not opened
/// appears anywhere in the transcript.
/// </summary>
public class EngineTranscriptTests
{
    [Fact]
    public void No_secret_input_or_unopened_result_appears_in_any_message()
    {
        using var engine = new SecureEngine();
        var recorder = new TranscriptRecorder();
        engine.Cluster.Record(recorder);
        var rng = new Random(99);
        // Distinctive 62-bit values (so comparisons and truncation stay in range); chance of a random match is ~2^-64 per offset.
        var x = Enumerable.Range(0, 64).Select(_ => (ulong)rng.NextInt64(1L << 40, 1L << 61)).ToArray();
        var y = Enumerable.Range(0, 64).Select(_ => (ulong)rng.NextInt64(1L << 40, 1L << 61)).ToArray();
        var sx = engine.Share(x); var sy = engine.Share(y);

        var sum = engine.Add(sx, sy);
        var product = engine.Multiply(sx, sy);
        var truncated = engine.Truncate(sx, 16);
        var dot = engine.Dot([(sx, sy)]);
        var less = engine.LessThan(sx, sy);
        var eq = engine.Equal(sx, sy);
        var injected = engine.ToArithmetic(less);
        var shuffled = engine.Shuffle([sx, sy]);
        Assert.NotEmpty(recorder.Messages);

        var secrets = x.Concat(y)
            .Concat(x.Zip(y, (a, b) => a + b)).Concat(x.Zip(y, (a, b) => a * b))
            .Concat(x.Select(a => (ulong)((long)a >> 16)))
            .Append(x.Zip(y, (a, b) => a * b).Aggregate(0UL, (s, v) => s + v))
            .ToArray();
        foreach (var v in secrets) Assert.False(recorder.Contains(v), $"value {v:x} appears in the transcript");

        // The results are still correct (so the test is not vacuous).
        Assert.Equal(x.Zip(y, (a, b) => a * b), engine.Reveal(product));
        Assert.Equal(x.Zip(y, (a, b) => a < b), engine.Reveal(less));
        Assert.Equal(x.Zip(y, (a, b) => a == b), engine.Reveal(eq));
        Assert.Equal(x.Zip(y, (a, b) => a < b ? 1UL : 0UL), engine.Reveal(injected));
        Assert.Equal(x.OrderBy(v => v), engine.Reveal(shuffled[0]).OrderBy(v => v));
        Assert.Equal(x.Zip(y, (a, b) => a + b), engine.Reveal(sum));
        Assert.Equal(x.Zip(y, (a, b) => a * b).Aggregate(0UL, (s, v) => s + v), engine.Reveal(dot)[0]);
        Assert.All(engine.Reveal(truncated).Zip(x), t => Assert.InRange((long)t.Second / 65536 - (long)t.First, 0, 1));
    }

    [Fact]
    public void What_each_party_receives_in_a_multiplication_is_uniform_whatever_the_inputs()
    {
        // Party i receives z_{i+1} = (its term) + zero-share: with all-zero inputs the received words must
        // still look uniform (the zero sharing is the only thing that hides the product).
        using var engine = new SecureEngine();
        var recorder = new TranscriptRecorder();
        engine.Cluster.Record(recorder);
        const int n = 40_000;
        var zeros = engine.Share(new ulong[n]);
        recorder.Messages.Clear();
        engine.Multiply(zeros, zeros);
        var received = recorder.Messages.Where(m => !m.Sent).ToArray();
        Assert.Equal(3, received.Length);
        foreach (var m in received)
        {
            var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(m.Bytes).ToArray();
            var top = new long[256];
            foreach (var w in words) top[w >> 56]++;
            double e = n / 256.0;
            double chi = top.Sum(o => (o - e) * (o - e) / e);
            Assert.True(chi < 400, $"party {m.Self} received non-uniform words from party {m.Peer} (chi² {chi:F0})");
        }
    }
}
