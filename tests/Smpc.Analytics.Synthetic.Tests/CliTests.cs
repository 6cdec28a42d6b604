namespace Smpc.Analytics.Synthetic.Tests;

/// <summary>`smpc synth` run as a user would: bad input gets a clear error and a non-zero exit, and writes nothing.</summary>
public class CliTests : TempFolders
{
    [Theory]
    [InlineData("--size 5", "--size must be between 100 and")]
    [InlineData("--size 1000 --veterans-in-all 0.9", "VeteransInAllThree (0.9) exceeds")]
    [InlineData("--size 1000 --veterans 9000", "would be -")]
    [InlineData("--size 1000 --survey-in-bank 2", "SurveyNonVeteransInBank = 2 is not a fraction")]
    [InlineData("--size lots", "lots")]
    public void Bad_input_is_refused_with_a_message_naming_it(string args, string message)
    {
        string dir = Path.Combine(NewFolder(), "out");
        var (exit, stdout, stderr) = Repo.Smpc(["synth", .. args.Split(' '), "--out", dir]);
        Assert.NotEqual(0, exit);
        Assert.Contains(message, stderr + stdout);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void An_output_path_that_is_a_file_is_refused()
    {
        string file = Path.Combine(NewFolder(), "taken");
        File.WriteAllText(file, "x");
        var (exit, _, stderr) = Repo.Smpc("synth", "--size", "200", "--out", file);
        Assert.Equal(2, exit);
        Assert.Contains("is a file, not a folder", stderr);
        Assert.Equal("x", File.ReadAllText(file));
    }

    [Fact]
    public void Overrides_reach_the_generator_and_the_recorded_command()
    {
        string dir = NewFolder();
        var (exit, stdout, stderr) = Repo.Smpc("synth", "--seed", "11", "--size", "1000", "--survey", "300", "--veterans-in-bank", "0.3", "--out", dir);
        Assert.True(exit == 0, stderr);
        Assert.Contains("smpc synth --seed 11 --size 1000 --survey 300 --veterans-in-bank 0.3", stdout);
        Assert.Equal(300, new Table(Path.Combine(dir, "survey.csv")).Rows.Count);
        Assert.Contains("\"command\": \"smpc synth --seed 11 --size 1000 --survey 300 --veterans-in-bank 0.3\"",
            File.ReadAllText(Path.Combine(dir, "truth", "ground-truth.json")));
    }
}
