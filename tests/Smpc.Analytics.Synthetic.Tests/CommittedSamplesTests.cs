namespace Smpc.Analytics.Synthetic.Tests;

/// <summary>End to end: the committed samples are exactly what the command documented in data/synthetic/README.md writes
/// (besides the README and the study plans, which are written by hand).</summary>
public class CommittedSamplesTests : TempFolders
{
    [Fact]
    public void The_committed_samples_are_what_the_documented_command_regenerates()
    {
        string readme = File.ReadAllText(Path.Combine(Repo.Samples, "README.md"));
        Assert.Contains($"smpc synth --seed {Repo.DocumentedSeed} --size {Repo.DocumentedSize} --out data/synthetic", readme);

        string dir = NewFolder();
        var (exit, stdout, stderr) = Repo.Smpc("synth", "--seed", Repo.DocumentedSeed, "--size", Repo.DocumentedSize, "--out", dir);
        Assert.True(exit == 0, $"smpc synth failed ({exit}): {stderr}");
        Assert.Contains("8000 veterans, 10000 bank and 6000 survey rows", stdout);

        var generated = Files(dir);
        // Written by hand beside the generated files: the README and the study plans (docs/plans.md) that run on them.
        var committed = Files(Repo.Samples).Where(f => f != "README.md" && !f.EndsWith(".plan.json", StringComparison.Ordinal)).ToList();
        Assert.Equal(generated, committed);
        foreach (var f in generated)
            Assert.True(File.ReadAllBytes(Path.Combine(dir, f)).SequenceEqual(File.ReadAllBytes(Path.Combine(Repo.Samples, f))),
                $"data/synthetic/{f} is not what `smpc synth --seed {Repo.DocumentedSeed} --size {Repo.DocumentedSize}` writes; regenerate it.");
    }

    [Fact]
    public void The_committed_samples_stay_small()
    {
        foreach (var name in SyntheticGenerator.DatasetNames)
            Assert.InRange(new Table(Path.Combine(Repo.Samples, name + ".csv")).Rows.Count, 1, 10_000);
    }

    static List<string> Files(string dir) => Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
}
