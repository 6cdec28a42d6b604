using System.Diagnostics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace Smpc.Analytics.Interactive.Display;

/// <summary>
/// A status line in the cell while a magic's long operation runs (contributing the datasets, a join or a query at the
/// three compute parties): shown when it starts, updated with each progress line the study reports, and finished with
/// the elapsed time — or with "stopped" when the operation failed (the cell's error says why).
/// </summary>
internal sealed class CellProgress
{
    readonly KernelInvocationContext _context;
    readonly string _id = Guid.NewGuid().ToString("N");
    readonly Stopwatch _clock = Stopwatch.StartNew();
    bool _done;

    public CellProgress(KernelInvocationContext context, string what)
    {
        _context = context;
        var text = $"⏳ {what}";
        context.Publish(new DisplayedValueProduced(text, context.Command, [new FormattedValue("text/plain", text)], _id));
    }

    void Show(string text) => _context.Publish(new DisplayedValueUpdated(text, _id, _context.Command, [new FormattedValue("text/plain", text)]));

    public void Report(string line)
    {
        if (!_done) Show($"⏳ {line} ({_clock.Elapsed.TotalSeconds:0.0} s)");
    }

    public void Done(string summary)
    {
        _done = true;
        Show($"✓ {summary} in {_clock.Elapsed.TotalSeconds:0.0} s");
    }

    public void Stopped()
    {
        if (_done) return;
        _done = true;
        Show($"✗ stopped after {_clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>Runs <paramref name="operation"/> under a progress line; the line ends with <paramref name="summary"/>.</summary>
    public static T Run<T>(KernelInvocationContext context, string what, Func<CellProgress, T> operation, Func<T, string> summary)
    {
        var progress = new CellProgress(context, what);
        try
        {
            var result = operation(progress);
            progress.Done(summary(result));
            return result;
        }
        catch
        {
            progress.Stopped();
            throw;
        }
    }
}
