namespace Smpc.Analytics.Studies.Plans;

/// <summary>A study plan that cannot run: names the plan file, the JSON path of the field (e.g. <c>$.queries[3].column</c>)
/// and the problem. Raised before anything is contributed or computed, except for a narrative template whose cell the
/// release does not have (found when the release is written).</summary>
public sealed class PlanException(string file, string path, string problem)
    : SmpcException($"{file}: {path}: {problem}")
{
    public string File { get; } = file;
    public string Path { get; } = path;
    public string Problem { get; } = problem;
}
