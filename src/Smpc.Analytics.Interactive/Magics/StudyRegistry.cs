using Smpc.Analytics.Statistics;
using Smpc.Analytics.Studies;

namespace Smpc.Analytics.Interactive.Magics;

/// <summary>The studies open in one kernel, by name; magics without --study use the last one opened.</summary>
public sealed class StudyRegistry : IDisposable
{
    readonly Dictionary<string, SecureStudy> _studies = new(StringComparer.Ordinal);
    string? _last;

    public void Add(string name, SecureStudy study)
    {
        if (_studies.Remove(name, out var old)) old.Dispose();
        _studies[name] = study;
        _last = name;
    }

    public SecureStudy Resolve(string? name)
    {
        if (name is null)
            return _last is not null ? _studies[_last]
                : throw new QueryException("No study is open. Open one first: #!secure-study --open demo");
        return _studies.TryGetValue(name, out var s) ? s
            : throw new QueryException($"No study named '{name}' is open. " +
                                       (_studies.Count == 0 ? "Open one first: #!secure-study --open demo" : $"Open studies: {string.Join(", ", _studies.Keys)}."));
    }

    public IReadOnlyCollection<string> Names => _studies.Keys;

    public void Dispose()
    {
        foreach (var s in _studies.Values) s.Dispose();
        _studies.Clear();
    }
}
