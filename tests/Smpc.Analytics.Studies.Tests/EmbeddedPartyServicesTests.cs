using System.Text;
using Smpc.Analytics.Columnar.Ipc;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Queries;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>
/// The embedded default (OpenDemo, OpenSynthetic, <c>smpc study run</c>) is the product's own data flow in one process:
/// contributors share their files as <c>smpc contribute</c> does, each of three party services receives only its own
/// share file and runs the study itself (terms, disclosure control), and the analyst's study sends requests and
/// receives releases. Its answers are those of the study program on the engine directly and of the plaintext reference
/// on the same data.
/// </summary>
public sealed class EmbeddedPartyServicesTests
{
    [Fact]
    public void The_demo_runs_at_three_party_services_and_answers_as_the_engine_and_the_plaintext_reference_do()
    {
        using var embedded = SecureStudy.OpenDemo(size: 800, seed: 11, name: "embedded");
        using var direct = SecureStudy.OpenDemo(size: 800, seed: 11, name: "direct", engine: new SecureEngine());
        using var plain = SecureStudy.OpenDemo(size: 800, seed: 11, name: "plain", engine: new PlaintextEngine());
        Assert.True(embedded.IsEmbedded);
        Assert.False(embedded.IsConnected);
        Assert.Contains("party services in this process", embedded.Engine.Name);
        Assert.Equal(direct.Datasets.Select(d => (d.Name, d.RowCount, d.Files.Count)), embedded.Datasets.Select(d => (d.Name, d.RowCount, d.Files.Count)));

        var joins = new[] { embedded, direct, plain }.Select(s => s.Join("veterans", "bank", "vb")).ToArray();
        Assert.All(joins, j => Assert.Equal(joins[2].JoinedRows, j.JoinedRows));
        Assert.All(joins, j => Assert.Equal(joins[2].MatchCounts.Select(m => m.Count), j.MatchCounts.Select(m => m.Count)));

        var counts = new[] { embedded, direct, plain }.Select(s => s.Count("vb", "service_era")).ToArray();
        for (int row = 0; row < counts[2].RowCount; row++)
        {
            Assert.Equal(counts[2].IsSuppressed(row), counts[0].IsSuppressed(row));
            Assert.Equal(counts[2].Value(row, "count"), counts[0].Value(row, "count"));   // exact: integers
            Assert.Equal(counts[1].Value(row, "count"), counts[0].Value(row, "count"));
        }
        var means = new[] { embedded, plain }.Select(s => s.Mean("veterans", "monthly_benefit", "service_era")).ToArray();
        for (int row = 0; row < means[1].RowCount; row++)
            if (!means[1].IsSuppressed(row))
                Assert.True(Math.Abs(means[0].Value(row, "mean(monthly_benefit)")!.Value - means[1].Value(row, "mean(monthly_benefit)")!.Value) <= Math.ScaleB(1.0, -8),
                    $"row {row}: the fixed-point mean is within 2^-8 of the plaintext mean");

        // The three party services ran the requests (their logs), and the analyst's process holds no share.
        var logs = embedded.PartyLogs;
        Assert.Equal(3, logs.Count);
        Assert.All(logs, log => Assert.Contains(log, l => l.StartsWith("join ", StringComparison.Ordinal)));
        Assert.All(logs, log => Assert.Equal(2, log.Count(l => l.StartsWith("aggregate ", StringComparison.Ordinal))));
        Assert.Throws<InvalidOperationException>(() => embedded.Engine.Reveal(embedded.Dataset("veterans").Table["age"].Values!));
        // The engine's reveal log is the parties' own: every reveal they made is in some release's cost, and nothing else.
        Assert.Equal(embedded.History.Sum(e => e.Cost.Reveals.Count), embedded.Engine.Reveals.Count);
        Assert.Equal(embedded.History.Sum(e => e.Cost.ToAnalyst.Sum(r => r.Elements)),
                     embedded.Engine.Reveals.Where(r => r.Audience == RevealAudience.Analyst).Sum(r => r.Elements));
        Assert.All(embedded.Engine.Traffic, t => Assert.True(t.BytesSent > 0));
        Assert.Equal(counts[0].ReleasedRows.Count(), counts[0].Cost.ToAnalyst.Sum(r => r.Elements));   // only released cells reached the analyst
    }

    /// <summary>Issue 14's byte budget for the main job's linkages: at most 30 MiB sent by each party. Categorical columns
    /// travel through the join's shuffles as one code per row and get their indicators back on the joined rows only.
    /// Byte counts are deterministic (the same data, the same protocol), so they are asserted.</summary>
    [Fact]
    public void The_main_jobs_linkages_send_at_most_30_MiB_per_party()
    {
        using var study = SecureStudy.OpenSynthetic(name: "bytes");
        foreach (var (right, name) in new[] { ("bank", "vb"), ("survey", "vs") })
        {
            var before = study.Engine.Traffic.Select(t => t.BytesSent).ToArray();
            study.Join("veterans", right, name);
            var sent = study.Engine.Traffic.Select((t, p) => t.BytesSent - before[p]).ToArray();
            Assert.True(sent.All(b => b is > 0 and <= 30L << 20), $"{name}: {string.Join(", ", sent.Select(b => $"{b / 1048576.0:F1} MiB"))} sent by parties 0, 1, 2");
        }
        // The joined categorical columns are whole again: the counts by a category of each table add up.
        var byState = study.Count("vb", "bank.state");
        var byEra = study.Count("vb", "service_era");
        Assert.Equal(byEra.Value(byEra.RowOf(Release.AllLabel), "count"), byState.Value(byState.RowOf(Release.AllLabel), "count"));
    }

    [Fact]
    public void Each_party_holds_only_its_own_share_file_with_no_identifier_and_the_files_go_with_the_study()
    {
        string folder;
        using (var study = SecureStudy.OpenDemo(size: 600, seed: 5, name: "files"))
        {
            folder = study.EmbeddedFolder!;
            var truth = study.GroundTruth!;
            for (int p = 0; p < 3; p++)
            {
                var files = Directory.GetFiles(Path.Combine(folder, $"party-{p}"));
                Assert.Equal(3, files.Length);   // veterans, bank, survey
                foreach (var file in files)
                {
                    var dataset = Path.GetFileName(file).Split('.')[0];
                    var contents = ShareFileReader.Read(file, new ShareFileExpectation { PartyId = p, Study = "files", Dataset = dataset });
                    Assert.Equal(p, contents.Header.PartyId);
                    // Identifiers never reach a party: no SSN or name of the contributor's file is in its share file.
                    var text = Encoding.Latin1.GetString(File.ReadAllBytes(file));
                    var ids = truth.File(dataset).Identifiers;
                    foreach (var column in ids.ColumnNames)
                        foreach (var value in ((string?[])ids[column]).Where(v => v is { Length: >= 6 }).Take(20))
                            Assert.DoesNotContain(value!, text);
                }
            }
        }
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void An_oprf_study_pseudonymises_at_upload_through_the_parties_key_shares_and_links_the_same_rows()
    {
        using var oprf = SecureStudy.OpenDemo(size: 600, seed: 9, name: "oprf", uploads: PseudonymiserKind.Oprf);
        using var plain = SecureStudy.OpenDemo(size: 600, seed: 9, name: "plain", engine: new PlaintextEngine());
        var explained = oprf.Explain(new JoinRequest { Datasets = ["veterans", "bank"], Name = "vb" });   // explained as it will run
        Assert.False(explained.Refused, explained.Refusal);
        Assert.Contains(explained.RulesApplied, r => r.Contains(Linkage.OprfPseudonymiser.SchemeName));
        var join = oprf.Join("veterans", "bank", "vb");                        // the default pseudonymiser: the upload's
        Assert.Equal(Linkage.OprfPseudonymiser.SchemeName, join.Scheme);
        var reference = plain.Join(new JoinRequest { Datasets = ["veterans", "bank"], Name = "vb", Pseudonymiser = PseudonymiserKind.Oprf });
        Assert.Equal(reference.MatchCounts.Select(m => m.Count), join.MatchCounts.Select(m => m.Count));
        Assert.All(oprf.PartyLogs, log => Assert.Contains(log, l => l.StartsWith("join ", StringComparison.Ordinal)));
        Assert.Throws<ArgumentException>(() => SecureStudy.OpenDemo(size: 600, seed: 9, engine: new SecureEngine(), uploads: PseudonymiserKind.Oprf));
    }

    [Fact]
    public void Refusals_are_raised_as_on_the_engine_and_a_named_analyst_is_checked_by_the_parties()
    {
        using var study = SecureStudy.OpenSynthetic(name: "rules");
        study.Join("veterans", "bank", "vb");
        // Refused before anything is computed: the parties spend only the request's agreement round and reveal nothing.
        long rounds = study.Engine.Traffic.Max(t => t.Rounds);
        int reveals = study.Engine.Reveals.Count;
        var e = Assert.Throws<PolicyException>(() => study.Median("vb", "balance"));
        Assert.Equal("AllowedOperations", e.Rule);
        Assert.Contains("'bank'", e.Message);
        Assert.Throws<QueryException>(() => study.Mean("veterans", "no_such_column"));
        Assert.Throws<FilterSyntaxException>(() => study.Query("veterans").Where("age >=").Count());
        Assert.InRange(study.Engine.Traffic.Max(t => t.Rounds) - rounds, 0, 3);                 // one agreement round per request
        Assert.Equal(reveals, study.Engine.Reveals.Count);

        using var stranger = SecureStudy.OpenSynthetic(name: "stranger", analyst: "someone-else");
        Assert.Equal("AllowedAnalysts", Assert.Throws<PolicyException>(() => stranger.Count("veterans", "service_era")).Rule);
        using var named = SecureStudy.OpenSynthetic(name: "named", analyst: "study-analyst");
        Assert.True(named.Count("veterans", "service_era").RowCount > 0);
    }

    [Fact]
    public void A_dataset_contributed_after_queries_is_taken_up_by_the_parties_for_the_next_request()
    {
        var extras = ConformanceData.Write(Path.Combine(Path.GetTempPath(), "smpc-embedded-late", Guid.NewGuid().ToString("N")));
        try
        {
            using var study = SecureStudy.OpenDemo(size: 600, seed: 3, name: "late");
            var before = study.Count("veterans");
            study.ContributeFolder(extras);
            var late = study.Count(ConformanceData.OrderStatistics);
            Assert.Equal(study.Dataset(ConformanceData.OrderStatistics).RowCount, late.Value(0, "count"));   // 10,000 rows: a multiple of the rounding base
            Assert.Equal(before.Value(0, "count"), study.Count("veterans").Value(0, "count"));
            Assert.Contains(study.Datasets, d => d.Name == ConformanceData.OrderStatistics);
        }
        finally { Directory.Delete(extras, recursive: true); }
    }
}
