using System.Globalization;

namespace Smpc.Analytics.Synthetic.Tests;

/// <summary>
/// Identifier noise is present in the stated proportions, and every defect the ground truth lists is really
/// in the file (and nothing else is): records without an SSN, date or name flag carry the true value.
/// </summary>
public class NoiseTests(Samples s) : IClassFixture<Samples>
{
    static readonly Dictionary<string, NoiseRates> Stated = new() { ["veterans"] = NoiseRates.Veterans, ["bank"] = NoiseRates.Bank, ["survey"] = NoiseRates.Survey };
    static readonly string[] Unconditional =
    [
        NoiseFlags.SsnMissing, NoiseFlags.SsnInvalid, NoiseFlags.SsnTypo, NoiseFlags.FirstNameTypo, NoiseFlags.LastNameTypo,
        NoiseFlags.DobMissing, NoiseFlags.DobTypo, NoiseFlags.ExtraWhitespace,
    ];

    public static TheoryData<string> Datasets => new("veterans", "bank", "survey");

    List<(string[] Row, string[] True, HashSet<string> Flags)> Joined(string d)
    {
        var table = s.File(d);
        var rowById = table.Rows.ToDictionary(r => table.Get(r, table.Header[0]));
        var persons = s.PersonsById();
        return s.Records.Rows.Where(r => s.Records.Get(r, "dataset") == d)
            .Select(r => (rowById[s.Records.Get(r, "record_id")], persons[s.Records.Get(r, "person_id")],
                s.Records.Get(r, "noise").Split(';', StringSplitOptions.RemoveEmptyEntries).ToHashSet()))
            .ToList();
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Defects_occur_at_the_stated_rates(string d)
    {
        var joined = Joined(d);
        var stated = Stated[d];
        int checkedRates = 0;
        foreach (var entry in s.At($"noise.{d}").EnumerateObject().Where(e => e.Name != NoiseFlags.Duplicate))
        {
            double rate = entry.Value.GetProperty("rate").GetDouble();
            long eligible = entry.Value.GetProperty("eligible").GetInt64(), records = entry.Value.GetProperty("records").GetInt64();
            Assert.Equal(SyntheticGenerator.NoiseRate(stated, entry.Name), rate);
            Assert.Equal(joined.Count(j => j.Flags.Contains(entry.Name)), records);
            if (Unconditional.Contains(entry.Name)) Assert.Equal(joined.Count, eligible);
            if (rate > 0 && eligible > 0) { Check.Proportion(rate, records, eligible, $"{d} {entry.Name}"); checkedRates++; }
            else Assert.Equal(0, records);
        }
        Assert.True(checkedRates >= 8, $"{d}: only {checkedRates} defects with a positive rate");
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Ssn_defects_are_in_the_file_and_clean_ssns_are_true(string d)
    {
        var t = s.File(d);
        foreach (var (row, truth, flags) in Joined(d))
        {
            string written = t.Get(row, "ssn"), digits = written.Replace("-", "").Replace(" ", "");
            string trueSsn = s.Persons.Get(truth, "ssn");
            string what = $"{d} {t.Get(row, t.Header[0])} ssn '{written}' (true {trueSsn}, flags {string.Join(';', flags)})";
            Assert.True(flags.Contains(NoiseFlags.SsnMissing) == (written == ""), what);
            if (written == "") continue;
            Assert.Matches(@"^(\d{3}-\d{2}-\d{4}|\d{3} \d{2} \d{4}|\d{1,9})$", written);
            Assert.True(flags.Contains(NoiseFlags.SsnLeadingZerosLost) == (digits.Length < 9), what);
            digits = digits.PadLeft(9, '0');
            if (flags.Contains(NoiseFlags.SsnInvalid)) Assert.False(Valid(digits), what);
            else if (flags.Contains(NoiseFlags.SsnTypo)) Assert.NotEqual(trueSsn, digits);
            else Assert.True(trueSsn == digits, what);
        }
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Date_of_birth_defects_are_in_the_file_and_clean_dates_are_true(string d)
    {
        var t = s.File(d);
        string format = d switch { "veterans" => "yyyy-MM-dd", "bank" => "MM/dd/yyyy", _ => "yyyyMMdd" };
        foreach (var (row, truth, flags) in Joined(d))
        {
            string written = t.Get(row, "dob");
            var trueDob = DateOnly.ParseExact(s.Persons.Get(truth, "dob"), "yyyy-MM-dd", CultureInfo.InvariantCulture);
            Assert.True(flags.Contains(NoiseFlags.DobMissing) == (written == ""), $"{d} dob '{written}'");
            if (written == "") continue;
            var dob = DateOnly.ParseExact(written, format, CultureInfo.InvariantCulture);
            if (flags.Contains(NoiseFlags.DobTypo)) Assert.NotEqual(trueDob, dob);
            else if (flags.Contains(NoiseFlags.DobDayMonthSwap)) Assert.Equal((trueDob.Year, trueDob.Day, trueDob.Month), (dob.Year, dob.Month, dob.Day));
            else Assert.Equal(trueDob, dob);
        }
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Name_defects_are_in_the_file_and_clean_names_are_true(string d)
    {
        var t = s.File(d);
        string[] firstDefects = [NoiseFlags.FirstNameTypo, NoiseFlags.Nickname, NoiseFlags.ExtraWhitespace, NoiseFlags.NameOrderSwapped];
        string[] lastDefects = [NoiseFlags.LastNameTypo, NoiseFlags.LastNameChanged, NoiseFlags.ExtraWhitespace, NoiseFlags.NameOrderSwapped];
        int typos = 0;
        foreach (var (row, truth, flags) in Joined(d))
        {
            string first = t.Get(row, "first_name"), last = t.Get(row, "last_name");
            string trueFirst = s.Persons.Get(truth, "first_name"), trueLast = s.Persons.Get(truth, "last_name");
            string what = $"{d} {t.Get(row, t.Header[0])}: '{first} {last}' (true '{trueFirst} {trueLast}', flags {string.Join(';', flags)})";
            if (!firstDefects.Any(flags.Contains)) Assert.True(Same(trueFirst, first, d), what);
            if (!lastDefects.Any(flags.Contains)) Assert.True(Same(trueLast, last, d) || Same(trueLast, StripSuffix(last), d), what);
            if (flags.Contains(NoiseFlags.FirstNameTypo) && !flags.Contains(NoiseFlags.Nickname))
            {
                typos++;
                Assert.False(string.Equals(Names.StripDiacritics(trueFirst), Names.StripDiacritics(first.Trim()), StringComparison.OrdinalIgnoreCase), what);
            }
            if (d == "veterans")
            {
                Assert.Equal(first.ToUpperInvariant(), first);
                string suffix = s.Persons.Get(truth, "name_suffix");
                Assert.Equal(flags.Contains(NoiseFlags.SuffixOmitted) ? "" : suffix, t.Get(row, "name_suffix"));
            }
        }
        Assert.True(typos > 0);
    }

    /// <summary>Equal as each agency writes names: VA upper case without diacritics; the bank exactly; the survey in any case, diacritics optional.</summary>
    internal static bool Same(string truth, string written, string d) => d switch
    {
        "veterans" => Names.StripDiacritics(truth).ToUpperInvariant() == written,
        "bank" => truth == written,
        _ => string.Equals(Names.StripDiacritics(truth), Names.StripDiacritics(written), StringComparison.OrdinalIgnoreCase),
    };

    internal static string StripSuffix(string last)
    {
        foreach (var s in new[] { ", Jr.", ", Sr.", " Jr.", " Sr.", " Jr", " Sr", ", III", ", II", ", IV", " III", " II", " IV" })
            if (last.EndsWith(s, StringComparison.OrdinalIgnoreCase)) return last[..^s.Length];
        return last;
    }

    static bool Valid(string d)
    {
        int area = int.Parse(d[..3], CultureInfo.InvariantCulture), group = int.Parse(d[3..5], CultureInfo.InvariantCulture), serial = int.Parse(d[5..], CultureInfo.InvariantCulture);
        return area is > 0 and < 900 && area != 666 && group > 0 && serial > 0 && d.Distinct().Count() > 1;
    }

    [Fact]
    public void Ssn_layouts_follow_each_agency()
    {
        foreach (var (d, rates) in Stated)
        {
            var written = s.File(d).Column("ssn").Where(x => x != "").ToList();
            Check.Proportion(rates.SsnDashes, written.Count(x => x.Contains('-')), written.Count, $"{d} dashes");
            Check.Proportion(rates.SsnSpaces, written.Count(x => x.Contains(' ')), written.Count, $"{d} spaces");
        }
        var survey = s.Survey.Column("ssn").ToList();
        Check.Proportion(NoiseRates.Survey.SsnMissing, survey.Count(x => x == ""), survey.Count, "survey SSN left blank");
    }
}
