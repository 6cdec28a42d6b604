using System.Globalization;
using System.Text;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Studies.Tests.Store;

/// <summary>
/// A contributed categorical column is stored as one xor-shared code per row, not one-hot: the stored bytes of N rows of
/// one 50-level category and one value stay under a bound computed from the layout (well under the 400 MB per
/// party for 10M rows), and the stored codes, expanded by the three parties, group the value exactly as the plaintext.
/// </summary>
public sealed class CompactStoreTests
{
    const int Levels = 50, Rows = 20_000, Batch = 4096;

    static readonly TableSchema Schema = new()
    {
        Name = "claims",
        Columns =
        [
            new ColumnSpec { Name = "region", Kind = ColumnKind.Categorical, Domain = [.. Enumerable.Range(0, Levels).Select(i => $"region-{i:00}")] },
            new ColumnSpec { Name = "amount", Kind = ColumnKind.Integer, Min = 0, Max = 1_000_000 },
        ],
    };

    static DataUseTerms Terms() => new()
    {
        Dataset = "claims", Steward = "test steward", Purpose = "compact store tests",
        Redisclosure = new RedisclosureTerms { InternalUseOnly = true },
    };

    /// <summary>Rows with every region but the last (an unused level), and their amounts.</summary>
    static (int Region, long Amount)[] Data() =>
        [.. Enumerable.Range(0, Rows).Select(r => ((r * 7 + r / 13) % (Levels - 1), (long)(r * 7919 % 1_000_000)))];

    static string WriteCsv(StoreTestStudy study, (int Region, long Amount)[] rows)
    {
        var text = new StringBuilder("region,amount\n");
        foreach (var (region, amount) in rows) text.Append(CultureInfo.InvariantCulture, $"region-{region:00},{amount}\n");
        var path = Path.Combine(study.Root, "claims.csv");
        Directory.CreateDirectory(study.Root);
        File.WriteAllText(path, text.ToString());
        return path;
    }

    [Fact]
    public void A_category_and_a_value_are_stored_in_a_bounded_number_of_bytes_and_group_exactly_as_the_plaintext()
    {
        using var study = new StoreTestStudy("compact-test");
        var rows = Data();
        var result = study.Contribute(WriteCsv(study, rows), Schema, Terms(), dataset: "claims", batchSize: Batch);

        // Bytes: per row and party the code's two 1-byte components (6-bit codes), the value's two 8-byte components and
        // the 8-byte row checksum; per record batch (Arrow message, 8-byte alignment of its 5 buffers) at most 1 KiB;
        // per file the schema and footer at most 16 KiB and each 1 MiB encryption chunk's nonce and tag 32 bytes.
        const long perRow = 2 * 1 + 2 * 8 + 8;
        long batches = (Rows + Batch - 1) / Batch;
        long bound = Rows * perRow + batches * 1024 + 16 * 1024 + (Rows * perRow / (1 << 20) + 1) * 32;
        long oneHot = Rows * (Levels * 2 * 8 + 2 * 8 + 8);
        Assert.All(result.Receipts, r => Assert.InRange(r.StoredBytes, Rows * perRow, bound));
        Assert.Single(result.Receipts.Select(r => r.StoredBytes).Distinct());        // the three parties store the same number of bytes
        Assert.True(result.Receipts[0].StoredBytes * 30 < oneHot, $"{result.Receipts[0].StoredBytes} bytes stored; one-hot would take {oneHot}");
        // The case, 10M rows of one category and one value, stays under 400 MB per party at this rate.
        Assert.True((double)result.Receipts[0].StoredBytes / Rows * 10_000_000 < 400e6);

        // What a party holds: the codes (not one-hot) and the value, as its own two components.
        var views = Enumerable.Range(0, 3).Select(p => study.Store(p).Load(study.Config.Study, "claims").Table).ToArray();
        Assert.All(views, v => Assert.Equal(["region"], v.CodedColumns));
        Assert.All(views, v => Assert.Null(v["region"].OneHot));
        Assert.Equal(rows.Select(r => (ulong)r.Region), ReplicatedSharing.ReconstructBoolean([.. views.Select(v => v["region"].Code!)]));

        // A query grouping by the stored category, run as the party services run it (each party its own PartyEngine on
        // its own view): the region column expands on first use, then the value is summed per region and released.
        using var cluster = new LocalCluster();
        var released = cluster.Run(s =>
        {
            var engine = new PartyEngine(s);
            var view = views[s.PartyId];
            var spec = view["region"].Spec;
            var region = CategoryCode.Lazy(engine, spec, view.RowCount,
                () => engine.ExpandCategory(view["region"].Code!, CategoryCode.Bits(spec), Levels, CategoryCode.First(spec)));
            var amount = engine.Adopt(view["amount"].Values!);
            Assert.True(region.IsExpansionPending);
            var sums = engine.Reveal(engine.Concat([.. region.OneHot!.Select(h => engine.Dot([(h, amount)]))]));
            var counts = engine.Reveal(engine.Concat([.. region.OneHot!.Select(engine.Sum)]));
            return (sums, counts);
        });
        Assert.Equal(released[0].sums, released[1].sums);
        Assert.Equal(released[0].counts, released[2].counts);
        var (sums, counts) = released[0];
        for (int k = 0; k < Levels; k++)
        {
            Assert.Equal((ulong)rows.Where(r => r.Region == k).Sum(r => r.Amount), sums[k]);
            Assert.Equal((ulong)rows.Count(r => r.Region == k), counts[k]);
        }
        Assert.Equal(0UL, counts[Levels - 1]);
    }
}
