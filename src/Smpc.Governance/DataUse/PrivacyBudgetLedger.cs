using System.Text.Json;
using Smpc.Analytics;
using Smpc.Analytics.Queries;

namespace Smpc.Governance.DataUse;

/// <summary>
/// Per-dataset record of the differential-privacy budget spent. A query reserves its ε before it runs
/// (<see cref="Reserve"/>), commits once its release is done, and gives it back only if it failed before
/// releasing anything. With a path, every committed entry is appended to a JSON-lines file and reloaded on
/// start, so the budget survives restarts. Thread-safe.
/// </summary>
public sealed class PrivacyBudgetLedger
{
    readonly Lock _gate = new();
    readonly List<Entry> _entries = [];
    readonly Dictionary<string, double> _reserved = new(StringComparer.Ordinal);
    readonly string? _path;

    public sealed record Entry(string Dataset, double Epsilon, string Query, DateTimeOffset At);

    public PrivacyBudgetLedger(string? path = null)
    {
        _path = path;
        if (path is not null && File.Exists(path))
            foreach (var line in File.ReadLines(path).Where(l => l.Length > 0))
                _entries.Add(JsonSerializer.Deserialize<Entry>(line) ?? throw new SmpcException($"Ledger '{path}' has an empty entry."));
    }

    public IReadOnlyList<Entry> Entries { get { lock (_gate) return _entries.ToArray(); } }

    /// <summary>ε committed and reserved so far for <paramref name="dataset"/>.</summary>
    public double Spent(string dataset)
    {
        lock (_gate) return _entries.Where(e => e.Dataset == dataset).Sum(e => e.Epsilon) + _reserved.GetValueOrDefault(dataset);
    }

    /// <summary>Reserves ε against <paramref name="budget"/>; throws a PolicyException (rule EpsilonBudget) if it would be exceeded.</summary>
    public Reservation Reserve(string dataset, double epsilon, double budget, string query)
    {
        lock (_gate)
        {
            double spent = Spent(dataset);
            if (spent + epsilon > budget + 1e-12)
                throw new PolicyException("EpsilonBudget", $"the privacy budget of '{dataset}' is exhausted: ε spent {spent:G4} + this query {epsilon:G4} > budget {budget:G4}.");
            _reserved[dataset] = _reserved.GetValueOrDefault(dataset) + epsilon;
            return new Reservation(this, new Entry(dataset, epsilon, query, DateTimeOffset.UtcNow));
        }
    }

    void Settle(Entry entry, bool commit)
    {
        lock (_gate)
        {
            _reserved[entry.Dataset] -= entry.Epsilon;
            if (!commit) return;
            _entries.Add(entry);
            if (_path is not null) File.AppendAllText(_path, JsonSerializer.Serialize(entry) + "\n");
        }
    }

    /// <summary>ε held for one running query.</summary>
    public sealed class Reservation(PrivacyBudgetLedger ledger, Entry entry) : IQueryAdmission
    {
        bool _done;
        public Entry Entry => entry;
        public void Commit() { if (!_done) { _done = true; ledger.Settle(entry, true); } }
        public void Cancel() { if (!_done) { _done = true; ledger.Settle(entry, false); } }
    }
}
