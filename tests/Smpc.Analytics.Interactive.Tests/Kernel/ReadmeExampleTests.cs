using System.Text.RegularExpressions;

namespace Smpc.Analytics.Interactive.Tests.Kernel;

/// <summary>The README's "Use it" examples, run as written: the C# block in a real C# kernel, and each magic of the
/// notebook block as its own cell, so the README cannot drift from the API.</summary>
public sealed class ReadmeExampleTests
{
    static string Readme()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "README.md");
            if (File.Exists(path) && File.Exists(Path.Combine(dir.FullName, "Smpc.Analytics.sln"))) return File.ReadAllText(path);
        }
        throw new FileNotFoundException("README.md of the repository was not found above the test binaries.");
    }

    static string Block(string language)
    {
        var use = Readme().Split("## Use it", 2)[1];
        var match = Regex.Match(use, $"```{language}\\n(.*?)```", RegexOptions.Singleline);
        Assert.True(match.Success, $"README's 'Use it' section has no ```{language} block");
        return match.Groups[1].Value;
    }

    [Fact]
    public async Task The_csharp_example_runs_and_prints_a_released_table_and_its_reveals()
    {
        using var kernel = TestKernel.Create();
        var result = await kernel.Run(Block("csharp") + "\nfit.Table.Rows.Count");
        result.ShouldSucceed();
        Assert.True(Convert.ToInt64(result.ReturnValue()) > 0, "the OLS release has no rows");
        var printed = string.Concat(result.Events.OfType<Microsoft.DotNet.Interactive.Events.StandardOutputValueProduced>()
                                          .SelectMany(e => e.FormattedValues).Select(v => v.Value));
        Assert.Contains("mean(balance)", printed);
        Assert.Contains("to the analyst", printed);
    }

    [Fact]
    public async Task The_notebook_example_runs_one_magic_per_cell_and_shows_the_release()
    {
        using var kernel = TestKernel.Create();
        var cells = Block("text").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, cells.Length);
        Microsoft.DotNet.Interactive.KernelCommandResult? last = null;
        foreach (var cell in cells) { last = await kernel.Run(cell); last.ShouldSucceed(); }
        var release = Assert.Single(last!.Html(), h => h.Contains("smpc-release"));
        Assert.Contains("mean(balance)", release);
        Assert.Contains("to the analyst", release);
    }
}
