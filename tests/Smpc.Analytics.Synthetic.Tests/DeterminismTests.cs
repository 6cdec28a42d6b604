namespace Smpc.Analytics.Synthetic.Tests;

public class DeterminismTests : TempFolders
{
    [Fact]
    public void Same_seed_and_sizes_give_byte_identical_files()
    {
        var options = SyntheticOptions.ForSize(7, 2_000);
        string a = NewFolder(), b = NewFolder();
        var first = SyntheticGenerator.Generate(options, a);
        SyntheticGenerator.Generate(options, b);
        Assert.Equal(12, first.Files.Count);
        foreach (var f in first.Files)
            Assert.True(File.ReadAllBytes(Path.Combine(a, f)).SequenceEqual(File.ReadAllBytes(Path.Combine(b, f))), $"{f} differs between two runs.");

        // Regenerating over an earlier run replaces its files with the same bytes and leaves no staging folder.
        var before = first.Files.ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(a, f)));
        SyntheticGenerator.Generate(options, a);
        foreach (var f in first.Files) Assert.True(before[f].SequenceEqual(File.ReadAllBytes(Path.Combine(a, f))), $"{f} changed on regeneration.");
        Assert.False(Directory.Exists(Path.Combine(a, ".synth-staging")));
    }

    [Fact]
    public void A_different_seed_gives_different_people_with_the_same_shape()
    {
        string a = NewFolder(), b = NewFolder();
        SyntheticGenerator.Generate(SyntheticOptions.ForSize(1, 1_000), a);
        SyntheticGenerator.Generate(SyntheticOptions.ForSize(2, 1_000), b);
        var va = new Table(Path.Combine(a, "veterans.csv"));
        var vb = new Table(Path.Combine(b, "veterans.csv"));
        Assert.Equal(va.Header, vb.Header);
        Assert.Equal(800, va.Rows.Count);
        Assert.Equal(800, vb.Rows.Count);
        Assert.True(va.Column("ssn").Intersect(vb.Column("ssn")).Count(s => s != "") < 5, "two seeds should issue (almost) disjoint SSNs");
        Assert.Equal(File.ReadAllBytes(Path.Combine(a, "bank.schema.json")), File.ReadAllBytes(Path.Combine(b, "bank.schema.json")));
    }

    [Fact]
    public void Sizes_other_than_the_defaults_are_honoured()
    {
        string dir = NewFolder();
        var options = SyntheticOptions.ForSize(3, 1_500) with { VeteranRows = 500, SurveyRows = 2_000 };
        var result = SyntheticGenerator.Generate(options, dir);
        Assert.Equal(500, new Table(Path.Combine(dir, "veterans.csv")).Rows.Count);
        Assert.Equal(1_500, new Table(Path.Combine(dir, "bank.csv")).Rows.Count);
        Assert.Equal(2_000, new Table(Path.Combine(dir, "survey.csv")).Rows.Count);
        Assert.Equal("smpc synth --seed 3 --size 1500 --veterans 500 --survey 2000", options.ToCommand());
        Assert.Equal(500, result.VeteranRows);
    }

    [Fact]
    public void Impossible_options_are_refused_naming_the_problem_and_nothing_is_written()
    {
        string dir = Path.Combine(NewFolder(), "out");
        var tiny = Assert.Throws<ArgumentException>(() => SyntheticGenerator.Generate(SyntheticOptions.ForSize(1, 50), dir));
        Assert.Contains("bank: 50 rows is outside 100..", tiny.Message);

        var fraction = SyntheticOptions.ForSize(1, 1_000) with { Overlap = new OverlapOptions { VeteransInBank = 1.5 } };
        Assert.Contains("VeteransInBank = 1.5 is not a fraction", Assert.Throws<ArgumentException>(() => SyntheticGenerator.Generate(fraction, dir)).Message);

        var allThree = SyntheticOptions.ForSize(1, 1_000) with { Overlap = new OverlapOptions { VeteransInAllThree = 0.5 } };
        Assert.Contains("VeteransInAllThree (0.5) exceeds", Assert.Throws<ArgumentException>(() => SyntheticGenerator.Generate(allThree, dir)).Message);

        // 4,000 veterans, 45% of them bank customers, do not fit a bank of 1,000 customers.
        var lopsided = SyntheticOptions.ForSize(1, 1_000) with { VeteranRows = 4_000 };
        var fit = Assert.Throws<ArgumentException>(() => SyntheticGenerator.Generate(lopsided, dir));
        Assert.Contains("bank only would be -", fit.Message);

        var noise = SyntheticOptions.ForSize(1, 1_000) with { SurveyNoise = NoiseRates.Survey with { SsnMissing = 0.9, SsnInvalid = 0.2 } };
        Assert.Contains("survey noise: SsnMissing + SsnInvalid + SsnTypo exceeds 1", Assert.Throws<ArgumentException>(() => SyntheticGenerator.Generate(noise, dir)).Message);

        Assert.False(Directory.Exists(dir), "a refused run must not create its output folder");
    }
}
