using Smpc.Analytics.Studies;
using Smpc.Analytics.Studies.Tests;

namespace Smpc.EndToEnd.Tests;

/// <summary>The study conformance suite against three `smpc party serve` processes over TLS, on data uploaded by
/// `smpc contribute` processes: the same tests as in one process (<see cref="EmbeddedStudyConformance"/>), another form of the study.</summary>
[Collection("processes")]
public sealed class PartyServicesStudyConformance(PartyServicesStudyFixture f) : StudyConformance(f), IClassFixture<PartyServicesStudyFixture>
{
    [Fact]
    public void The_parties_logs_hold_no_identifier()
    {
        var logs = f.Logs;
        Assert.Contains("compute-ready", logs);
        var lines = File.ReadLines(Path.Combine(SyntheticAgencies.Locate(null), "veterans.csv")).Take(301).Select(l => l.Split(',')).ToArray();
        int ssn = Array.IndexOf(lines[0], "ssn");
        Assert.True(ssn >= 0);
        foreach (var row in lines.Skip(1).Where(r => r[ssn].Length > 0)) Assert.DoesNotContain(row[ssn], logs);
    }
}
