namespace Smpc.Analytics.Engine;

/// <summary>
/// Progress of a long operation (a join's passes, an ordering's levels, a regression's pivots) for whoever runs it: a
/// notebook cell's status line, the analyst of a party service. The layers report stages with public facts only — pass
/// names, level and pivot numbers, input sizes that are released anyway — never a count that depends on the data
/// (matches, group sizes), so a progress line tells the analyst nothing a release does not (LEAKAGE.md). The sink is
/// per thread: the thread that runs the operation (a party's request, the study's call) sets it for its duration.
/// </summary>
public static class OperationProgress
{
    [ThreadStatic] static Action<string>? _sink;

    /// <summary>Reports one stage to the current sink, if any.</summary>
    public static void Report(string stage) => _sink?.Invoke(stage);

    /// <summary>Sends this thread's progress to <paramref name="sink"/> until the returned scope is disposed.</summary>
    public static IDisposable To(Action<string>? sink)
    {
        var previous = _sink;
        _sink = sink;
        return new Scope(previous);
    }

    sealed class Scope(Action<string>? previous) : IDisposable
    {
        bool _done;
        public void Dispose()
        {
            if (_done) return;
            _done = true;
            _sink = previous;
        }
    }
}
