using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Smpc.Analytics.Tests.Architecture;

/// <summary>
/// No layer imports one above it. The projects, bottom to top: the engine (<c>Smpc.Analytics</c>, one query model with
/// plain policy values), governance (data-use terms, the privacy budget ledger, the study lifecycle), the synthetic
/// agencies, the study API, then reporting, the registry and the shells. Checked on the project files (references) and on
/// every source file's <c>using</c> lines and qualified names; inside the engine, the query model is its top (no other
/// engine folder imports it) and the engine names no data-use terms.
/// </summary>
public sealed partial class LayeringTests
{
    /// <summary>Each project and the projects it may use (directly or not).</summary>
    static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Smpc.Analytics"] = [],
        ["Smpc.Governance"] = ["Smpc.Analytics"],
        ["Smpc.Analytics.Synthetic"] = ["Smpc.Analytics", "Smpc.Governance"],
        ["Smpc.Analytics.Studies"] = ["Smpc.Analytics", "Smpc.Governance", "Smpc.Analytics.Synthetic"],
        ["Smpc.Analytics.Reporting"] = ["Smpc.Analytics", "Smpc.Governance", "Smpc.Analytics.Synthetic", "Smpc.Analytics.Studies"],
        ["Smpc.Registry"] = ["Smpc.Analytics", "Smpc.Governance"],
        ["Smpc.Charts"] = [],
        ["Smpc.Analytics.Interactive"] = ["Smpc.Analytics", "Smpc.Governance", "Smpc.Analytics.Synthetic", "Smpc.Analytics.Studies", "Smpc.Analytics.Reporting", "Smpc.Charts"],
        ["Smpc.Cli"] = ["Smpc.Analytics", "Smpc.Governance", "Smpc.Analytics.Synthetic", "Smpc.Analytics.Studies", "Smpc.Analytics.Reporting", "Smpc.Registry", "Smpc.Charts"],
    };

    static string Root
    {
        get
        {
            var root = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(root, "Smpc.Analytics.sln"))) root = Path.GetDirectoryName(root) ?? throw new DirectoryNotFoundException("repository root");
            return root;
        }
    }

    static IEnumerable<string> Projects() => Directory.GetDirectories(Path.Combine(Root, "src")).Select(Path.GetFileName).OfType<string>()
        .Where(p => Directory.GetFiles(Path.Combine(Root, "src", p), "*.?sproj").Length > 0);

    [Fact]
    public void Every_project_has_a_place_in_the_layers()
    {
        var unknown = Projects().Where(p => !Allowed.ContainsKey(p)).ToList();
        Assert.True(unknown.Count == 0, $"Projects without a layer (add them to LayeringTests.Allowed): {string.Join(", ", unknown)}");
    }

    [Fact]
    public void Project_references_point_down_only()
    {
        var wrong = new List<string>();
        foreach (var project in Projects())
        {
            var file = Directory.GetFiles(Path.Combine(Root, "src", project), "*.?sproj").Single();
            foreach (var reference in XDocument.Load(file).Descendants("ProjectReference").Select(r => (string?)r.Attribute("Include")).OfType<string>())
            {
                var target = Path.GetFileNameWithoutExtension(reference);
                if (!Allowed[project].Contains(target)) wrong.Add($"{project} references {target}");
            }
        }
        Assert.True(wrong.Count == 0, string.Join("; ", wrong));
    }

    [Fact]
    public void Source_files_name_no_namespace_of_a_layer_above()
    {
        var wrong = new List<string>();
        foreach (var project in Projects().Where(p => Directory.GetFiles(Path.Combine(Root, "src", p), "*.csproj").Length > 0))
            foreach (var file in Sources(project))
                foreach (Match m in SmpcName().Matches(File.ReadAllText(file)))
                {
                    var owner = OwnerOf(m.Value);
                    if (owner is not null && owner != project && !Allowed[project].Contains(owner))
                        wrong.Add($"{Path.GetRelativePath(Root, file)} names {m.Value} ({owner})");
                }
        Assert.True(wrong.Count == 0, string.Join("; ", wrong.Distinct()));
    }

    [Fact]
    public void Inside_the_engine_the_query_model_is_the_top_and_no_terms_are_named()
    {
        var wrong = new List<string>();
        foreach (var file in Sources("Smpc.Analytics"))
        {
            var text = File.ReadAllText(file);
            var relative = Path.GetRelativePath(Path.Combine(Root, "src", "Smpc.Analytics"), file);
            if (!relative.StartsWith("Queries", StringComparison.Ordinal) && text.Contains("Smpc.Analytics.Queries", StringComparison.Ordinal))
                wrong.Add($"{relative} imports the query model");
            var code = string.Join('\n', text.Split('\n').Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)));
            foreach (var name in new[] { "DataUseTerms", "PrivacyBudgetLedger", "QueryPolicy", "Smpc.Analytics.Study" })
                if (Regex.IsMatch(code, $@"\b{Regex.Escape(name)}\b")) wrong.Add($"{relative} names {name}");
        }
        Assert.True(wrong.Count == 0, string.Join("; ", wrong));
    }

    static IEnumerable<string> Sources(string project) =>
        Directory.EnumerateFiles(Path.Combine(Root, "src", project), "*.cs*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    /// <summary>The project that owns a namespace (the longest project name it starts with); null for none of ours.</summary>
    static string? OwnerOf(string ns) => Allowed.Keys.Where(p => ns == p || ns.StartsWith(p + ".", StringComparison.Ordinal))
        .OrderByDescending(p => p.Length).FirstOrDefault();

    [GeneratedRegex(@"(?<=^\s*using\s+(?:static\s+)?(?:\w+\s*=\s*)?|^\s*@using\s+)Smpc(?:\.\w+)+", RegexOptions.Multiline)]
    private static partial Regex SmpcName();
}
