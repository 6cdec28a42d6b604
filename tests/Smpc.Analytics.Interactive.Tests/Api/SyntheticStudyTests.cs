using Smpc.Analytics.Interactive.Api;
using Smpc.Analytics.Interactive.Demo;
using Smpc.Analytics.Synthetic;

namespace Smpc.Analytics.Interactive.Tests.Api;

/// <summary>The study over data/synthetic: released numbers equal plaintext computed from the same files.</summary>
public sealed class SyntheticStudyTests : IDisposable
{
    readonly SecureStudy _study = SecureStudy.OpenSynthetic();
    readonly string _folder = SyntheticAgencies.Locate(null);

    public void Dispose() => _study.Dispose();

    [Fact]
    public void The_three_agencies_are_contributed_under_their_own_terms()
    {
        Assert.Equal(["veterans", "bank", "survey"], _study.Datasets.Select(d => d.Name));
        Assert.Equal(20, DisclosureRules.From(_study.Dataset("bank").Terms).MinCellSize);
        Assert.Equal(8000, _study.Dataset("veterans").RowCount);
    }

    [Fact]
    public void Mean_benefit_by_service_era_equals_plaintext()
    {
        var file = AgencyFile.Load(_folder, "veterans");
        var era = (string?[])file.Analysis["service_era"];
        var benefit = (double?[])file.Analysis["monthly_benefit"];
        var release = _study.Mean("veterans", "monthly_benefit", "service_era");
        // Each value is encoded to the nearest 2^-f (f from the schema), so a mean is within 2^-(f+1) of the exact one.
        double tolerance = Math.ScaleB(1.0, -(file.Schema.Column("monthly_benefit").FractionBits + 1));
        foreach (var row in release.Table.Rows)
        {
            var values = Enumerable.Range(0, era.Length).Where(i => era[i] == row.Keys[0] && benefit[i] is not null).Select(i => benefit[i]!.Value).ToList();
            if (values.Count < 11) { Assert.True(row.Suppressed); continue; }
            Assert.Equal(values.Count, row.Values![0]);
            Assert.True(Math.Abs(row.Values[1] - values.Average()) <= tolerance, $"{row.Keys[0]}: {row.Values[1]} vs {values.Average()}");
        }
    }

    [Fact]
    public void The_join_links_the_records_whose_ssn_digits_agree()
    {
        var key = new byte[32];
        string? Digits(string? s) => s is null ? null : DemoContributors.Pseudonym(s, key)?.ToString();
        var vets = (string?[])AgencyFile.Load(_folder, "veterans").Identifiers["ssn"];
        var bank = ((string?[])AgencyFile.Load(_folder, "bank").Identifiers["ssn"]).Select(Digits).Where(d => d is not null).GroupBy(d => d!).ToDictionary(g => g.Key, g => g.Count());
        int expected = vets.Select(Digits).Where(d => d is not null).Sum(d => bank.GetValueOrDefault(d!));
        var join = _study.Join("veterans", "bank", on: "ssn", name: "vb");
        Assert.Equal(expected, join.MatchedRows);
        Assert.Equal(8000, join.LeftRows);
        Assert.Equal(10000, join.RightRows);
    }
}
