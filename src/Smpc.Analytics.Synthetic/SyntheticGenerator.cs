using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Smpc.Analytics.Columnar;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Synthetic;

/// <summary>What one generation run wrote.</summary>
public sealed record GenerationResult(string Directory, IReadOnlyList<string> Files, int Persons,
    int VeteranRows, int BankRows, int SurveyRows, TimeSpan Elapsed);

/// <summary>
/// Generates the three synthetic agency files with their schemas, data-use terms and plaintext ground truth
/// into one folder. Everything is a function of <see cref="SyntheticOptions"/>: same options, same bytes.
/// Files are written to a staging folder first and moved into place only when all of them are complete.
/// </summary>
public static class SyntheticGenerator
{
    /// <summary>Bumped whenever a change alters the bytes generated for the same options.</summary>
    public const int FormatVersion = 1;

    public static readonly IReadOnlyList<string> DatasetNames = [VeteransFile.Name, BankFile.Name, SurveyFile.Name];

    public static GenerationResult Generate(SyntheticOptions options, string outDir)
    {
        var problems = options.Problems().ToList();
        if (problems.Count > 0) throw new ArgumentException($"Cannot generate: {string.Join("; ", problems)}.");
        var clock = Stopwatch.StartNew();
        var pop = new Population(options);
        Directory.CreateDirectory(outDir);
        string staging = Path.Combine(outDir, ".synth-staging");
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(Path.Combine(staging, "truth"));
        try
        {
            var files = WriteAll(options, pop, staging);
            foreach (var f in files)
            {
                string target = Path.Combine(outDir, f);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Move(Path.Combine(staging, f), target, overwrite: true);
            }
            return new GenerationResult(Path.GetFullPath(outDir), files, pop.Count, options.VeteranRows, options.BankRows, options.SurveyRows, clock.Elapsed);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    static List<string> WriteAll(SyntheticOptions o, Population pop, string dir)
    {
        ulong seed = o.Seed;
        var vet = new VeteransTotals();
        var bank = new BankTotals();
        var survey = new SurveyTotals();
        var runs = new[]
        {
            new DatasetRun
            {
                Dataset = Dataset.Veterans, RecordPrefix = "VA", Digits = 8, Header = VeteransFile.Header, Rates = o.VeteranNoise,
                RecordStream = Prng.Stream.VeteranRecord,
                Renderer = (p, id, noise, _) => { var (f, v, state) = VeteransFile.Render(p, id, noise, seed); vet.Add(p, v, state); return f; },
            },
            new DatasetRun
            {
                Dataset = Dataset.Bank, RecordPrefix = "C", Digits = 9, Header = BankFile.Header, Rates = o.BankNoise,
                RecordStream = Prng.Stream.BankRecord,
                Renderer = (p, id, noise, rng) => { var (f, v, state) = BankFile.Render(p, id, noise, seed, rng); bank.Add(v, state); return f; },
            },
            new DatasetRun
            {
                Dataset = Dataset.Survey, RecordPrefix = "R", Digits = 8, Header = SurveyFile.Header, Rates = o.SurveyNoise,
                RecordStream = Prng.Stream.SurveyRecord,
                Renderer = (p, id, noise, _) => { var (f, v, age) = SurveyFile.Render(p, id, noise, seed); survey.Add(v, age); return f; },
            },
        };
        int[] rows = [o.VeteranRows, o.BankRows, o.SurveyRows];
        TableSchema[] schemas = [VeteransFile.Schema().Validate(), BankFile.Schema().Validate(), SurveyFile.Schema().Validate()];
        DataUseTerms[] terms = [VeteransFile.Terms(), BankFile.Terms(), SurveyFile.Terms()];
        var files = new List<string>();

        using (var records = new CsvWriter(Path.Combine(dir, "truth", "records.csv")))
        {
            records.Write(["dataset", "record_id", "person_id", "duplicate_of", "noise"]);
            for (int i = 0; i < 3; i++)
            {
                string name = DatasetNames[i];
                runs[i].Write(pop, o, rows[i], Path.Combine(dir, name + ".csv"), records);
                JsonOut.Save(schemas[i], TableSchema.Json, Path.Combine(dir, name + ".schema.json"));
                JsonOut.Save(terms[i], DataUseTerms.Json, Path.Combine(dir, name + ".terms.json"));
                files.AddRange([name + ".csv", name + ".schema.json", name + ".terms.json"]);
            }
        }
        WritePersons(pop, Path.Combine(dir, "truth", "persons.csv"));
        files.AddRange(["truth/records.csv", "truth/persons.csv"]);

        using (var stream = File.Create(Path.Combine(dir, "truth", "ground-truth.json")))
        using (var w = new Utf8JsonWriter(stream, JsonOut.Options))
        {
            w.WriteStartObject();
            w.WriteNumber("format_version", FormatVersion);
            w.WriteStartObject("generator");
            w.WriteString("command", o.ToCommand());
            w.WriteNumber("seed", o.Seed);
            w.WriteString("reference_date", SyntheticOptions.ReferenceDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            w.WriteEndObject();
            WriteFiles(w, dir, files, runs);
            WritePopulation(w, pop, o);
            WriteNoise(w, runs);
            w.WriteStartObject("aggregates");
            vet.Write(w);
            bank.Write(w);
            survey.Write(w);
            LinkedTotals.Write(w, pop, seed);
            w.WriteEndObject();
            w.WriteEndObject();
            w.Flush();
            stream.WriteByte((byte)'\n');
        }
        files.Add("truth/ground-truth.json");
        return files;
    }

    static void WritePersons(Population pop, string path)
    {
        using var csv = new CsvWriter(path);
        csv.Write(["person_id", "ssn", "first_name", "last_name", "name_suffix", "dob", "sex", "in_veterans", "in_bank", "in_survey"]);
        for (int i = 0; i < pop.Count; i++)
        {
            var p = pop.Person(i);
            csv.Write([p.Id, SsnSpace.Format(p.Ssn, SsnLayout.Digits), p.First, p.Last, p.Suffix ?? "",
                p.Dob.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), p.Sex,
                Formats.Bool(p.InVeterans), Formats.Bool(p.InBank), Formats.Bool(p.InSurvey)]);
        }
    }

    static void WriteFiles(Utf8JsonWriter w, string dir, List<string> files, DatasetRun[] runs)
    {
        w.WriteStartObject("files");
        foreach (var f in files)
        {
            string path = Path.Combine(dir, f);
            w.WriteStartObject(f);
            int i = DatasetNames.ToList().IndexOf(Path.GetFileNameWithoutExtension(f));
            if (f.EndsWith(".csv", StringComparison.Ordinal) && i >= 0) w.WriteNumber("rows", runs[i].Rows);
            w.WriteNumber("bytes", new FileInfo(path).Length);
            using (var s = File.OpenRead(path)) w.WriteString("sha256", Convert.ToHexStringLower(SHA256.HashData(s)));
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    static void WritePopulation(Utf8JsonWriter w, Population pop, SyntheticOptions o)
    {
        w.WriteStartObject("persons");
        w.WriteNumber("total", pop.Count);
        w.WriteNumber("veterans", pop.VeteranPersons);
        w.WriteNumber("bank", pop.BankPersons);
        w.WriteNumber("survey", pop.SurveyPersons);
        w.WriteEndObject();
        w.WriteStartObject("overlap");
        w.WriteStartObject("configured");
        w.WriteNumber("veterans_in_bank", o.Overlap.VeteransInBank);
        w.WriteNumber("veterans_in_survey", o.Overlap.VeteransInSurvey);
        w.WriteNumber("veterans_in_all_three", o.Overlap.VeteransInAllThree);
        w.WriteNumber("survey_non_veterans_in_bank", o.Overlap.SurveyNonVeteransInBank);
        w.WriteEndObject();
        int Size(params Population.Block[] b) => b.Sum(pop.Size);
        w.WriteStartObject("persons");
        w.WriteNumber("veterans_bank", Size(Population.Block.All, Population.Block.VeteransBank));
        w.WriteNumber("veterans_survey", Size(Population.Block.All, Population.Block.VeteransSurvey));
        w.WriteNumber("bank_survey", Size(Population.Block.All, Population.Block.BankSurvey));
        w.WriteNumber("all_three", Size(Population.Block.All));
        w.WriteNumber("veterans_only", Size(Population.Block.VeteransOnly));
        w.WriteNumber("bank_only", Size(Population.Block.BankOnly));
        w.WriteNumber("survey_only", Size(Population.Block.SurveyOnly));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    static void WriteNoise(Utf8JsonWriter w, DatasetRun[] runs)
    {
        w.WriteStartObject("noise");
        foreach (var run in runs)
        {
            w.WriteStartObject(run.Dataset.ToString().ToLowerInvariant());
            w.WriteStartObject(NoiseFlags.Duplicate);
            w.WriteNumber("rate", run.Rates.Duplicates);
            w.WriteNumber("records", run.DuplicateRows);
            w.WriteEndObject();
            foreach (var (flag, (eligible, flagged)) in run.Noise)
            {
                w.WriteStartObject(flag);
                w.WriteNumber("rate", NoiseRate(run.Rates, flag));
                w.WriteNumber("eligible", eligible);
                w.WriteNumber("records", flagged);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>The configured rate behind a defect flag.</summary>
    public static double NoiseRate(NoiseRates r, string flag) => flag switch
    {
        NoiseFlags.Duplicate => r.Duplicates,
        NoiseFlags.SsnMissing => r.SsnMissing,
        NoiseFlags.SsnInvalid => r.SsnInvalid,
        NoiseFlags.SsnTypo => r.SsnTypo,
        NoiseFlags.SsnLeadingZerosLost => r.SsnLeadingZerosLost,
        NoiseFlags.Nickname => r.Nickname,
        NoiseFlags.FirstNameTypo => r.FirstNameTypo,
        NoiseFlags.LastNameTypo => r.LastNameTypo,
        NoiseFlags.LastNameChanged => r.LastNameChanged,
        NoiseFlags.SuffixOmitted => r.SuffixOmitted,
        NoiseFlags.NameCase => r.NameCase,
        NoiseFlags.ExtraWhitespace => r.ExtraWhitespace,
        NoiseFlags.DobMissing => r.DobMissing,
        NoiseFlags.DobTypo => r.DobTypo,
        NoiseFlags.DobDayMonthSwap => r.DobDayMonthSwap,
        NoiseFlags.NameOrderSwapped => r.NameOrderSwapped,
        NoiseFlags.Moved => r.Moved,
        _ => throw new ArgumentException($"Unknown noise flag '{flag}'."),
    };
}
