namespace Smpc.Analytics;

/// <summary>Local work split into contiguous ranges on the thread pool (a contributor's pseudonyms, curve operations,
/// normalising and encoding rows).</summary>
internal static class WorkRanges
{
    /// <summary>Runs <paramref name="body"/> over [0, n) in contiguous ranges of at least <paramref name="minRange"/>
    /// on the thread pool (in this thread when there is one range).</summary>
    public static void For(int n, int minRange, Action<int, int> body)
    {
        int ranges = Math.Max(1, Math.Min(Environment.ProcessorCount * 4, n / Math.Max(1, minRange)));
        if (ranges == 1) { body(0, n); return; }
        Parallel.For(0, ranges, k => body((int)((long)n * k / ranges), (int)((long)n * (k + 1) / ranges)));
    }

    /// <summary><see cref="For"/> for work whose errors name a row or column of the input: when any range fails, the
    /// whole of [0, n) runs again in order, so the error raised is the first in order, as one pass would raise it.</summary>
    public static void ForFirstErrorInOrder(int n, int minRange, Action<int, int> body)
    {
        try { For(n, minRange, body); }
        catch (AggregateException)
        {
            body(0, n);
            throw;
        }
    }
}
