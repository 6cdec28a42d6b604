using System.Reflection;

namespace Smpc.Bench.Harness;

/// <summary>
/// Every case in this assembly: each non-abstract <see cref="IBenchSuite"/> with a public parameterless
/// constructor is instantiated and asked for its cases. Names must be unique.
/// </summary>
public static class BenchRegistry
{
    public static IReadOnlyList<IBenchCase> Discover(Assembly? assembly = null)
    {
        var suites = (assembly ?? typeof(BenchRegistry).Assembly).GetTypes()
            .Where(t => typeof(IBenchSuite).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false } && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IBenchSuite)Activator.CreateInstance(t)!)
            .OrderBy(s => s.Order).ThenBy(s => s.GetType().FullName, StringComparer.Ordinal);
        var cases = new List<IBenchCase>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var suite in suites)
            foreach (var c in suite.Cases())
            {
                if (!names.Add(c.Name)) throw new InvalidOperationException($"Two benchmark cases are named '{c.Name}'.");
                cases.Add(c);
            }
        return cases;
    }

    /// <summary>Cases whose name matches any pattern: exact, or with '*' wildcards (<c>mul-*</c>, <c>*-inproc</c>);
    /// with no pattern, the cases that run by default.</summary>
    public static IReadOnlyList<IBenchCase> Select(IReadOnlyList<IBenchCase> cases, IReadOnlyList<string> patterns)
    {
        if (patterns.Count == 0) return cases.Where(c => c.RunByDefault).ToList();
        var chosen = cases.Where(c => patterns.Any(p => Matches(c.Name, p))).ToList();
        var unmatched = patterns.Where(p => !cases.Any(c => Matches(c.Name, p))).ToList();
        if (unmatched.Count > 0)
            throw new ArgumentException($"No benchmark matches {string.Join(", ", unmatched.Select(p => $"'{p}'"))}; known: {string.Join(" ", cases.Select(c => c.Name))}.");
        return chosen;
    }

    static bool Matches(string name, string pattern)
    {
        var regex = "^" + string.Join(".*", pattern.Split('*').Select(System.Text.RegularExpressions.Regex.Escape)) + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(name, regex);
    }
}
