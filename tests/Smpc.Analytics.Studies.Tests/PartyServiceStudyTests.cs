using Smpc.Analytics.Engine;
using Smpc.Analytics.Studies.Parties;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>
/// The study run by three compute party services over TLS (<see cref="PartyStudyHost"/>) on data contributed as share
/// files, driven by an analyst that holds no data (<see cref="SecureStudy.Connect(string, Transport.StudyCredentials, TimeSpan?)"/>):
/// a join, counts and means by group with a small cell suppressed, a median and an OLS fit equal the same study run in
/// one process on the same files, and a plaintext computation of the files.
/// </summary>
public sealed class PartyServiceStudyTests : TempFolders
{
    [Fact]
    public void Join_counts_means_median_and_ols_at_the_party_services_equal_one_process_and_plaintext()
    {
        using var services = PartyServices.Start(NewFolder());
        var plain = StrangersDataTests.PlainJoin(services.Data);
        using var local = new SecureStudy("strangers", new SecureEngine());
        local.ContributeFolder(services.Data.Folder);

        using (var study = SecureStudy.Connect(services.ConfigPath, services.Credentials(PartyServices.Analyst)))
        {
            Assert.True(study.IsConnected);
            Assert.Empty(study.Datasets);                                               // no share, no row in this process
            Assert.Equal(["allotments", "harbour"], study.RemoteDatasets.Select(d => d.Name));
            Assert.Equal([500, 600], study.RemoteDatasets.Select(d => d.Rows));
            Assert.DoesNotContain(study.RemoteDatasets.SelectMany(d => d.Columns), c => c.Kind == "Pseudonym");

            var join = study.Join(new JoinRequest { Datasets = ["harbour", "allotments"], Name = "ha" });
            var localJoin = local.Join(new JoinRequest { Datasets = ["harbour", "allotments"], Name = "ha" });
            Assert.Equal(plain.Count, join.JoinedRows);
            Assert.Equal(localJoin.JoinedRows, join.JoinedRows);
            Assert.Equal(localJoin.MatchCounts, join.MatchCounts);
            Assert.Equal(localJoin.Passes, join.Passes);
            Assert.Contains(join.Cost.ToComputeParties, r => r.Purpose.Contains("pseudonym", StringComparison.OrdinalIgnoreCase));

            var counts = study.Count("ha", "county");
            var localCounts = local.Count("ha", "county");
            AssertSameRelease(localCounts, counts);
            foreach (var county in Strangers.Counties)
            {
                int n = plain.Count(r => r.County == county);
                int row = counts.RowOf(county);
                if (n < 11) Assert.True(counts.IsSuppressed(row), $"{county}: {n} linked rows must be suppressed");
                if (counts.Cell("count", county) is { } released) Assert.Equal(n, released);
            }
            Assert.Contains(Strangers.Counties, c => counts.IsSuppressed(counts.RowOf(c)));
            Assert.Equal(plain.Count, counts.Cell("count", Release.AllLabel));

            var means = study.Mean("ha", "harvest_kg", "county");
            AssertSameRelease(local.Mean("ha", "harvest_kg", "county"), means);
            foreach (var county in Strangers.Counties)
            {
                var rows = plain.Where(r => r.County == county).ToList();
                int row = means.RowOf(county);
                if (means.IsSuppressed(row)) { Assert.Null(means.Value(row, "mean(harvest_kg)")); continue; }
                Assert.True(rows.Count >= 11);
                double expected = rows.Average(r => r.Harvest);
                Assert.True(Math.Abs(means.Value(row, "mean(harvest_kg)")!.Value - expected) <= Math.ScaleB(1.0, -9) + 1e-3, $"{county}: {means.Value(row, "mean(harvest_kg)")} vs {expected}");
            }

            var median = study.Median("ha", "catch_tonnes");
            AssertSameRelease(local.Median("ha", "catch_tonnes"), median);
            double m = median.Cell("median(catch_tonnes)")!.Value;
            Assert.True(Math.Abs(m - Plain.Quantile(plain.Select(r => r.Catch).ToList(), 0.5)) <= Math.ScaleB(1.0, -5) + 1e-9, $"median {m}");

            var fit = study.Query("ha").Ols("harvest_kg", "catch_tonnes");
            var localFit = local.Query("ha").Ols("harvest_kg", "catch_tonnes");
            var expectedFit = Plain.Ols(plain.Select(r => r.Harvest).ToList(), plain.Select(r => r.Catch).ToList());
            foreach (var term in new[] { "(intercept)", "catch_tonnes" })
            {
                double se = fit.Cell("std_error", term)!.Value;
                Assert.True(Math.Abs(fit.Cell("coefficient", term)!.Value - localFit.Cell("coefficient", term)!.Value) <= 1e-3 * se, term);
                Assert.True(Math.Abs(fit.Cell("coefficient", term)!.Value - expectedFit[term == "(intercept)" ? 0 : 1]) <= 0.01 * se + 1e-6, term);
            }
            Assert.Equal(5, study.History.Count);
            Assert.All(study.Releases, r => Assert.True(r.Cost.Bytes > 0 && r.Cost.Rounds > 0));
        }
        services.ThrowIfFailed();
        Assert.All(services.Logs, log => Assert.Contains(log, l => l.Contains("analyst 'ana' connected")));
    }

    [Fact]
    public void A_left_join_and_a_filtered_count_at_the_party_services_equal_one_process_and_plaintext()
    {
        using var services = PartyServices.Start(NewFolder());
        using var local = new SecureStudy("strangers", new SecureEngine());
        local.ContributeFolder(services.Data.Folder);
        var request = new JoinRequest { Datasets = ["harbour", "allotments"], Kind = Linkage.JoinKind.Left, Name = "h_left" };
        using (var study = SecureStudy.Connect(services.ConfigPath, services.Credentials(PartyServices.Analyst)))
        {
            var join = study.Join(request);
            Assert.Equal(local.Join(request).JoinedRows, join.JoinedRows);
            Assert.Equal(600, join.JoinedRows);                                          // every harbour row stays
            var counts = study.Query("h_left").Where("crew >= 10").GroupBy("county").Count();
            AssertSameRelease(local.Query("h_left").Where("crew >= 10").GroupBy("county").Count(), counts);
            var harbour = Strangers.ReadCsv(services.Data.Harbour);
            foreach (var county in Strangers.Counties)
                if (counts.Cell("count", county) is { } n)
                    Assert.Equal(harbour.Count(r => r["county"] == county && r["crew"] != "" && int.Parse(r["crew"], System.Globalization.CultureInfo.InvariantCulture) >= 10), n);
        }
        services.ThrowIfFailed();
    }

    [Fact]
    public void Parties_that_hold_different_contributions_refuse_every_request()
    {
        using var services = PartyServices.Start(NewFolder(), hiddenFrom: 2, hidden: "allotments");
        // Connecting lists the datasets: already that request is refused, by all three parties.
        var e = Assert.Throws<StudyRefusedException>(() => SecureStudy.Connect(services.ConfigPath, services.Credentials(PartyServices.Analyst)));
        Assert.Equal("RequestAgreement", e.Rule);
        Assert.Contains("hold different contributions", e.Message);
        services.ThrowIfFailed();
    }

    [Fact]
    public void A_dataset_one_party_cannot_load_is_logged_and_requests_are_refused_without_stopping_the_service()
    {
        using var services = PartyServices.Start(NewFolder(), hiddenFrom: 1, hidden: "harbour", unreadable: true);
        Assert.Equal("RequestAgreement", Assert.Throws<StudyRefusedException>(
            () => SecureStudy.Connect(services.ConfigPath, services.Credentials(PartyServices.Analyst))).Rule);
        Assert.Equal("RequestAgreement", Assert.Throws<StudyRefusedException>(                       // the services are still up
            () => SecureStudy.Connect(services.ConfigPath, services.Credentials(PartyServices.Analyst))).Rule);
        lock (services.Logs[1]) Assert.Contains(services.Logs[1], l => l.Contains("dataset 'harbour' cannot be loaded yet"));
        services.ThrowIfFailed();
    }

    /// <summary>Same cells, statuses, rules and values (to the last bit for counts; fixed point within 2^-20 relative).</summary>
    static void AssertSameRelease(Release expected, Release actual)
    {
        Assert.Equal(expected.KeyColumns, actual.KeyColumns);
        Assert.Equal(expected.ValueColumns, actual.ValueColumns);
        Assert.Equal(expected.RowCount, actual.RowCount);
        for (int r = 0; r < expected.RowCount; r++)
        {
            Assert.Equal(expected.Label(r), actual.Label(r));
            Assert.Equal(expected.IsSuppressed(r), actual.IsSuppressed(r));
            Assert.Equal(expected.Rule(r), actual.Rule(r));
            foreach (var v in expected.ValueColumns)
            {
                var (e, a) = (expected.Value(r, v), actual.Value(r, v));
                Assert.Equal(e is null, a is null);
                if (e is { } x && a is { } y) Assert.True(Math.Abs(x - y) <= Math.Abs(x) * Math.ScaleB(1.0, -20) + 1e-9, $"{expected.Label(r)} {v}: {y} vs {x}");
            }
        }
    }
}
