using System.CommandLine;
using System.Globalization;
using Smpc.Analytics.Synthetic;

namespace Smpc.Cli.Commands;

/// <summary>`smpc synth`: generate the three synthetic agency files with schemas, data-use terms and ground truth.</summary>
internal static class SynthCommand
{
    public static Command Create()
    {
        var seed = new Option<ulong>("--seed") { Description = "Seed; the same seed and sizes give byte-identical files.", DefaultValueFactory = _ => 2026 };
        var size = new Option<int>("--size") { Description = "Rows of the bank file; the veterans' file gets 0.8× and the survey 0.6× as many.", DefaultValueFactory = _ => 10_000 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write into (created; existing generated files are replaced).", DefaultValueFactory = _ => new DirectoryInfo("out/synthetic") };
        var veterans = new Option<int?>("--veterans") { Description = "Rows of the veterans' file (default 0.8 × size)." };
        var survey = new Option<int?>("--survey") { Description = "Rows of the survey file (default 0.6 × size)." };
        var vb = new Option<double?>("--veterans-in-bank") { Description = "Fraction of veterans who are bank customers (default 0.45)." };
        var vs = new Option<double?>("--veterans-in-survey") { Description = "Fraction of veterans who answered the survey (default 0.20)." };
        var all = new Option<double?>("--veterans-in-all") { Description = "Fraction of veterans in all three files (default 0.10)." };
        var sb = new Option<double?>("--survey-in-bank") { Description = "Fraction of non-veteran survey respondents who are bank customers (default 0.25)." };
        var synth = new Command("synth", "Generate synthetic veterans', bank and graduate-survey files with overlapping people, identifier noise, schemas, data-use terms and plaintext ground truth.")
        {
            seed, size, output, veterans, survey, vb, vs, all, sb,
        };
        synth.SetAction(result =>
        {
            int s = result.GetValue(size);
            if (s is < 100 or > SyntheticOptions.MaxRows)
            {
                Console.Error.WriteLine($"--size must be between 100 and {SyntheticOptions.MaxRows}; got {s}.");
                return 2;
            }
            var defaults = SyntheticOptions.ForSize(result.GetValue(seed), s);
            var overlap = new OverlapOptions();
            var options = defaults with
            {
                VeteranRows = result.GetValue(veterans) ?? defaults.VeteranRows,
                SurveyRows = result.GetValue(survey) ?? defaults.SurveyRows,
                Overlap = overlap with
                {
                    VeteransInBank = result.GetValue(vb) ?? overlap.VeteransInBank,
                    VeteransInSurvey = result.GetValue(vs) ?? overlap.VeteransInSurvey,
                    VeteransInAllThree = result.GetValue(all) ?? overlap.VeteransInAllThree,
                    SurveyNonVeteransInBank = result.GetValue(sb) ?? overlap.SurveyNonVeteransInBank,
                },
            };
            var dir = result.GetValue(output)!;
            if (File.Exists(dir.FullName))
            {
                Console.Error.WriteLine($"--out '{dir.FullName}' is a file, not a folder.");
                return 2;
            }
            GenerationResult done;
            try { done = SyntheticGenerator.Generate(options, dir.FullName); }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{options.ToCommand()}: {done.VeteranRows} veterans, {done.BankRows} bank and {done.SurveyRows} survey rows ({done.Persons} people) in {done.Elapsed.TotalSeconds:0.0} s"));
            foreach (var f in done.Files) Console.WriteLine($"  {Path.Combine(done.Directory, f)}");
            return 0;
        });
        return synth;
    }
}
