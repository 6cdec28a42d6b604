using System.Globalization;
using System.Text;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Studies.Tests.Store;

/// <summary>
/// Two stewards contribute with the parties' OPRF (study.json "pseudonymiser": "oprf"); the three party services then
/// join the stored datasets for an analyst who holds no data: the linked counts equal plaintext linkage of the two files.
/// </summary>
public sealed class OprfUploadJoinTests
{
    static readonly string[] Wards = ["harbourside", "millbrook", "thornfield"];
    static readonly string[] Plans = ["basic", "plus"];

    static readonly TableSchema Claims = new()
    {
        Name = "claims",
        Columns =
        [
            new ColumnSpec { Name = "plan", Kind = ColumnKind.Categorical, Domain = Plans },
            new ColumnSpec { Name = "premium", Kind = ColumnKind.Integer, Min = 0, Max = 100000 },
        ],
        Identifiers = StoreTestStudy.Schema.Identifiers,
    };

    [Fact]
    public void A_join_of_two_oprf_uploads_at_the_party_services_links_as_plaintext_linkage_of_the_files()
    {
        using var study = new StoreTestStudy(pseudonymiser: "oprf");
        // 150 people with distinct identifiers; patients has people 0..119, claims people 30..149: 90 in both.
        var random = new Random(11);
        var people = Enumerable.Range(0, 150).Select(i => (
            Ssn: (512000000 + i * 7919 + random.Next(0, 7000)).ToString(CultureInfo.InvariantCulture),
            Given: $"Given{(char)('a' + i % 26)}{(char)('a' + i / 26)}", Family: $"Family{(char)('a' + i % 13)}{(char)('a' + i / 13)}",
            Born: $"{random.Next(1, 13):00}/{random.Next(1, 28):00}/{random.Next(1930, 2000)}", Sex: i % 2 == 0 ? "F" : "M")).ToArray();
        var patients = people.Take(120).Select(p => (Person: p, Ward: Wards[random.Next(3)], Cost: random.Next(1000, 900000) / 100.0)).ToList();
        var claims = people.Skip(30).Select(p => (Person: p, Plan: Plans[random.Next(2)], Premium: random.Next(100, 90000))).ToList();
        Directory.CreateDirectory(Path.Combine(study.Root, "data"));
        var patientsFile = Path.Combine(study.Root, "data", "patients.csv");
        var claimsFile = Path.Combine(study.Root, "data", "claims.csv");
        File.WriteAllText(patientsFile, "ssn,given,family,born,sex,ward,stay_cost,visits\n" + string.Concat(patients.Select(r =>
            $"{r.Person.Ssn},{r.Person.Given},{r.Person.Family},{r.Person.Born},{r.Person.Sex},{r.Ward},{r.Cost.ToString("0.00", CultureInfo.InvariantCulture)},3\n")));
        File.WriteAllText(claimsFile, "ssn,given,family,born,sex,plan,premium\n" + string.Concat(claims.Select(r =>
            $"{r.Person.Ssn},{r.Person.Given},{r.Person.Family},{r.Person.Born},{r.Person.Sex},{r.Plan},{r.Premium}\n")), Encoding.UTF8);

        string[] operations = ["join", "groupby", "count"];
        study.Contribute(patientsFile, StoreTestStudy.Schema, StoreTestStudy.Terms() with { AllowedOperations = operations }, contributor: "census", batchSize: 50);
        study.Contribute(claimsFile, Claims, StoreTestStudy.Terms("claims") with { AllowedOperations = operations }, dataset: "claims", contributor: "clinic", batchSize: 50);
        study.ServeCompute();

        var linked = (from p in patients join c in claims on p.Person.Ssn equals c.Person.Ssn select p).ToList();
        Assert.Equal(90, linked.Count);
        using (var analysis = SecureStudy.Connect(study.ConfigPath, StudyCredentials.Load(study.Config, StudyMember.Analyst), TimeSpan.FromSeconds(60)))
        {
            Assert.Empty(analysis.Datasets);   // the analyst's process holds no share
            var join = analysis.Join(new JoinRequest { Datasets = ["patients", "claims"], Name = "pc", Passes = [LinkageKeyKind.Ssn] });
            Assert.Equal(linked.Count, join.JoinedRows);
            var counts = analysis.Count("pc", "ward");
            foreach (var ward in Wards)
                Assert.Equal(linked.Count(p => p.Ward == ward), counts.Cell("count", ward));

            // The second pass links on name, date of birth and sex: the same people, and no one else.
            var demographic = analysis.Join(new JoinRequest { Datasets = ["patients", "claims"], Name = "pd", Passes = [LinkageKeyKind.NameDateOfBirthSex] });
            Assert.Equal(linked.Count, demographic.JoinedRows);
        }
        Assert.Empty(study.ComputeFailures);
    }
}
