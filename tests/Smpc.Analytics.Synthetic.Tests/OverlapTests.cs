namespace Smpc.Analytics.Synthetic.Tests;

/// <summary>The true linkage (truth/records.csv, truth/persons.csv) has the configured overlap, counted from the files.</summary>
public class OverlapTests(Samples s) : IClassFixture<Samples>
{
    static int Round(double x) => (int)Math.Round(x, MidpointRounding.AwayFromZero);

    [Fact]
    public void People_appear_in_two_or_three_files_in_the_configured_fractions()
    {
        var people = new[] { "veterans", "bank", "survey" }.ToDictionary(d => d,
            d => s.Records.Rows.Where(r => s.Records.Get(r, "dataset") == d).Select(r => s.Records.Get(r, "person_id")).ToHashSet());
        var (v, b, sv) = (people["veterans"], people["bank"], people["survey"]);
        int vb = v.Count(b.Contains), vs = v.Count(sv.Contains), all = v.Count(p => b.Contains(p) && sv.Contains(p));
        int bsNonVeteran = b.Count(p => sv.Contains(p) && !v.Contains(p));

        var overlap = new OverlapOptions();   // the committed samples use the defaults
        Assert.Equal(Round(overlap.VeteransInBank * v.Count), vb);
        Assert.Equal(Round(overlap.VeteransInSurvey * v.Count), vs);
        Assert.Equal(Round(overlap.VeteransInAllThree * v.Count), all);
        Assert.Equal(Round(overlap.SurveyNonVeteransInBank * (sv.Count - vs)), bsNonVeteran);
        Assert.True(all > 100 && vb > all && vs > all, "the samples should hold enough linked people for a study");

        Assert.Equal(v.Count, s.At("persons.veterans").GetInt32());
        Assert.Equal(b.Count, s.At("persons.bank").GetInt32());
        Assert.Equal(sv.Count, s.At("persons.survey").GetInt32());
        Assert.Equal(vb, s.At("overlap.persons.veterans_bank").GetInt32());
        Assert.Equal(vs, s.At("overlap.persons.veterans_survey").GetInt32());
        Assert.Equal(all, s.At("overlap.persons.all_three").GetInt32());
        Assert.Equal(b.Count(sv.Contains), s.At("overlap.persons.bank_survey").GetInt32());
    }

    [Fact]
    public void Every_record_belongs_to_a_person_of_that_file_and_every_such_person_has_a_record()
    {
        var persons = s.PersonsById();
        Assert.Equal(persons.Count, s.At("persons.total").GetInt32());
        foreach (var d in new[] { "veterans", "bank", "survey" })
        {
            var table = s.File(d);
            var records = s.Records.Rows.Where(r => s.Records.Get(r, "dataset") == d).ToList();
            Assert.Equal(table.Rows.Count, records.Count);
            Assert.Equal(table.Column(table.Header[0]).Order(), records.Select(r => s.Records.Get(r, "record_id")).Order());
            var withRecord = records.Select(r => s.Records.Get(r, "person_id")).ToHashSet();
            var flagged = persons.Values.Where(p => s.Persons.Get(p, "in_" + d) == "true").Select(p => s.Persons.Get(p, "person_id")).ToHashSet();
            Assert.True(withRecord.SetEquals(flagged), $"{d}: people with records differ from people flagged in_{d}");
        }
    }

    [Fact]
    public void Duplicate_records_point_to_a_first_record_of_the_same_person()
    {
        var byId = s.Records.Rows.ToDictionary(r => s.Records.Get(r, "dataset") + "/" + s.Records.Get(r, "record_id"));
        foreach (var d in new[] { "veterans", "bank", "survey" })
        {
            var dups = s.Records.Rows.Where(r => s.Records.Get(r, "dataset") == d && s.Records.Get(r, "duplicate_of") != "").ToList();
            Assert.Equal(s.At($"noise.{d}.duplicate.records").GetInt32(), dups.Count);
            int rows = s.File(d).Rows.Count;
            double rate = s.At($"noise.{d}.duplicate.rate").GetDouble();
            Assert.Equal(rows - Round(rows / (1 + rate)), dups.Count);
            foreach (var r in dups)
            {
                var primary = byId[d + "/" + s.Records.Get(r, "duplicate_of")];
                Assert.Equal(s.Records.Get(primary, "person_id"), s.Records.Get(r, "person_id"));
                Assert.Equal("", s.Records.Get(primary, "duplicate_of"));
            }
            // A person's records carry the same analysis values (the duplicate is a re-entered record, not another account).
            var table = s.File(d);
            var rowById = table.Rows.ToDictionary(x => table.Get(x, table.Header[0]));
            string[] payload = d switch { "veterans" => ["disability_rating", "monthly_benefit", "service_era"], "bank" => ["balance", "monthly_deposits", "delinquent"], _ => ["salary", "degree_field", "survey_weight"] };
            foreach (var r in dups)
                foreach (var c in payload)
                    Assert.Equal(table.Get(rowById[s.Records.Get(r, "duplicate_of")], c), table.Get(rowById[s.Records.Get(r, "record_id")], c));
        }
    }
}
