using System.Globalization;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>
/// Bring your own data, end to end on files no code in the project knows (<see cref="Strangers"/>): infer both
/// schemas, edit the name kinds, validate, contribute from the folder, link on the tax number then name + date of
/// birth, and compare the linked count, a mean by group (the rare county suppressed) and a median with a plaintext
/// computation over the same files.
/// </summary>
public sealed class StrangersDataTests : TempFolders
{
    [Fact]
    public void Inference_finds_the_kinds_identifiers_and_layouts_of_files_it_has_never_seen()
    {
        var s = new Strangers(NewFolder());
        var (h, a) = s.Prepare();
        Assert.Equal(ColumnKind.Categorical, h.Column("county").Kind);
        Assert.Equal(Strangers.Counties.Order(StringComparer.Ordinal), h.Column("county").Domain);
        Assert.Equal(ColumnKind.FixedPoint, h.Column("catch_tonnes").Kind);
        Assert.Equal(5, h.Column("catch_tonnes").FractionBits);                     // one decimal: 2^-5 < 0.1 / 2
        Assert.Equal(ColumnKind.Integer, h.Column("crew").Kind);
        Assert.True(h.Column("crew").Nullable);
        Assert.True(h.Column("crew").Max >= 30);
        Assert.Equal(ColumnKind.Boolean, h.Column("insured").Kind);                 // 0/1
        Assert.Equal(8, a.Column("harvest_kg").FractionBits);                      // two decimals
        Assert.Equal(IdentifierKind.Ssn, h.Identifiers.Single(i => i.Name == "taxpayer_no").Kind);
        Assert.Equal("ddd.dd.dddd", h.Identifiers.Single(i => i.Name == "taxpayer_no").Format);
        Assert.Equal("dd.MM.yyyy", h.Identifiers.Single(i => i.Name == "born").Format);
        Assert.Equal(IdentifierKind.DateOfBirth, a.Identifiers.Single(i => i.Name == "geburtsdatum").Kind);
        Assert.Equal(IdentifierKind.Ssn, a.Identifiers.Single(i => i.Name == "tin").Kind);
        Assert.Equal(IdentifierKind.RecordId, a.Identifiers.Single(i => i.Name == "plot_holder_no").Kind);   // free text is never shared
        Assert.Empty(DatasetReader.Validate(s.Harbour, h));
        Assert.Empty(DatasetReader.Validate(s.Allotments, a));
    }

    [Fact]
    public void Two_strangers_files_link_and_aggregate_as_plaintext_says()
    {
        var s = new Strangers(NewFolder());
        var (h, _) = s.Prepare();
        using var study = new SecureStudy("strangers", new SecureEngine());
        var contributed = study.ContributeFolder(s.Folder);
        Assert.Equal(["allotments", "harbour"], contributed.Select(d => d.Name));
        Assert.Equal([500, 600], contributed.Select(d => d.RowCount));

        var join = study.Join(new JoinRequest { Datasets = ["harbour", "allotments"], Name = "ha" });
        var plain = PlainJoin(s);
        Assert.Equal(plain.Count, join.JoinedRows);
        Assert.Equal(LinkageKeyKind.NameDateOfBirth, join.Passes[1]);               // neither file records sex
        Assert.Contains(join.MatchCounts, m => m.Pass != "ssn" && m.Count > 0);            // some link only on name and date of birth

        // Counts by county: the small county is suppressed, and so is one complement (the total is published);
        // every released count is exact.
        var counts = study.Count("ha", "county");
        foreach (var county in Strangers.Counties)
        {
            int n = plain.Count(r => r.County == county);
            if (counts.Cell("count", county) is { } released) Assert.Equal(n, released);
            else if (n >= 11) Assert.StartsWith("complementary", counts.Rule(counts.RowOf(county)));
            if (n < 11) Assert.True(counts.IsSuppressed(counts.RowOf(county)), $"{county}: {n} linked rows must be suppressed");
        }
        Assert.Equal(plain.Count, counts.Cell("count", Release.AllLabel));

        var means = study.Mean("ha", "harvest_kg", "county");
        foreach (var county in Strangers.Counties)
        {
            var rows = plain.Where(r => r.County == county).ToList();
            int row = means.RowOf(county);
            if (rows.Count < 11)
            {
                Assert.True(means.IsSuppressed(row), $"{county}: {rows.Count} linked rows must be suppressed");
                Assert.Null(means.Value(row, "mean(harvest_kg)"));
                continue;
            }
            if (means.IsSuppressed(row)) continue;
            double expected = rows.Average(r => r.Harvest);
            Assert.True(Math.Abs(means.Value(row, "mean(harvest_kg)")!.Value - expected) <= Math.ScaleB(1.0, -9) + 1e-3, $"{county}: {means.Value(row, "mean(harvest_kg)")} vs {expected}");
        }
        Assert.Contains(Strangers.Counties, c => plain.Count(r => r.County == c) < 11);

        var median = study.Median("ha", "catch_tonnes").Cell("median(catch_tonnes)")!.Value;
        var tonnes = plain.Select(r => r.Catch).ToList();
        double bits = h.Column("catch_tonnes").FractionBits;
        Assert.True(Math.Abs(median - Plain.Quantile(tonnes, 0.5)) <= Math.ScaleB(1.0, -(int)bits) + 1e-9, $"median {median} vs {Plain.Quantile(tonnes, 0.5)}");

        // An OLS fit across the two files: harvest (allotments) on catch (harbour), against least squares in doubles.
        var fit = study.Ols("ha", "harvest_kg", "catch_tonnes");
        var expectedFit = Plain.Ols(plain.Select(r => r.Harvest).ToList(), plain.Select(r => r.Catch).ToList());
        double slope = fit.Cell("coefficient", "catch_tonnes")!.Value, intercept = fit.Cell("coefficient", "(intercept)")!.Value;
        double se = fit.Cell("std_error", "catch_tonnes")!.Value;
        Assert.True(Math.Abs(slope - expectedFit[1]) <= 0.01 * se + 1e-6, $"slope {slope} vs {expectedFit[1]} (se {se})");
        Assert.True(Math.Abs(intercept - expectedFit[0]) <= 0.01 * fit.Cell("std_error", "(intercept)")!.Value + 1e-6, $"intercept {intercept} vs {expectedFit[0]}");
    }

    [Fact]
    public void A_DataFrame_is_inferred_and_contributed_like_a_file()
    {
        var s = new Strangers(NewFolder());
        var frame = Microsoft.Data.Analysis.DataFrame.LoadCsv(s.Allotments);
        var inferred = SchemaInference.Infer(frame, new InferenceOptions { Name = "allotments", Identifiers = ["tin", "vorname", "nachname", "geburtsdatum"] });
        var schema = Strangers.Edited(inferred.Schema, "vorname", "nachname");
        Assert.Equal(ColumnKind.Categorical, schema.Column("society").Kind);
        Assert.Equal(ColumnKind.Integer, schema.Column("plot_size_m2").Kind);
        using var study = new SecureStudy("frame", new PlaintextEngine());
        var terms = Strangers.Terms("allotments", schema.Columns.Select(c => c.Name), ["tin"]);
        var dataset = study.Contribute(frame, schema, terms);
        Assert.Equal(500, dataset.RowCount);
        Assert.Equal(500, study.Count("allotments").Cell("count"));
    }

    internal sealed record Linked(string County, double Catch, double Harvest);

    /// <summary>The join in plaintext over the files: tax number first, then surname + given name + date of birth
    /// among the rows still unlinked; the first row of the base wins.</summary>
    internal static List<Linked> PlainJoin(Strangers s)
    {
        var harbour = Strangers.ReadCsv(s.Harbour);
        var allot = Strangers.ReadCsv(s.Allotments);
        string? HKey(Dictionary<string, string> r) =>
            Normalize.Surname(r["family"]) is { } f && Normalize.GivenName(r["given"]) is { } g
            && DateOnly.TryParseExact(r["born"], "dd.MM.yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? $"{f}|{g}|{d:yyyyMMdd}" : null;
        string? AKey(Dictionary<string, string> r) =>
            Normalize.Surname(r["nachname"]) is { } f && Normalize.GivenName(r["vorname"]) is { } g
            && DateOnly.TryParseExact(r["geburtsdatum"], "d MMM yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? $"{f}|{g}|{d:yyyyMMdd}" : null;

        var linked = new List<Linked>();
        var usedA = new HashSet<int>();
        var unlinkedH = new List<Dictionary<string, string>>();
        var bySsn = allot.Select((r, i) => (Ssn: Normalize.Ssn(r["tin"]), i)).Where(x => x.Ssn is not null).GroupBy(x => x.Ssn!).ToDictionary(g => g.Key, g => g.First().i);
        foreach (var r in harbour)
        {
            if (Normalize.Ssn(r["taxpayer_no"]) is { } ssn && bySsn.TryGetValue(ssn, out int a)) { usedA.Add(a); linked.Add(Row(r, allot[a])); }
            else unlinkedH.Add(r);
        }
        var byName = allot.Select((r, i) => (Key: AKey(r), i)).Where(x => x.Key is not null && !usedA.Contains(x.i)).GroupBy(x => x.Key!).ToDictionary(g => g.Key, g => g.First().i);
        foreach (var r in unlinkedH)
            if (HKey(r) is { } k && byName.TryGetValue(k, out int a)) linked.Add(Row(r, allot[a]));
        return linked;

        static Linked Row(Dictionary<string, string> h, Dictionary<string, string> a) =>
            new(h["county"], double.Parse(h["catch_tonnes"], CultureInfo.InvariantCulture), double.Parse(a["harvest_kg"], CultureInfo.InvariantCulture));
    }
}
