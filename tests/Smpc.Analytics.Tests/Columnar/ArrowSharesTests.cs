using Apache.Arrow;
using CsCheck;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Columnar.Arrow;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Sharing;

namespace Smpc.Analytics.Tests.Columnar;

public class ArrowSharesTests
{
    [Fact]
    public void An_arrow_array_aliases_the_share_component_memory()
    {
        var values = new ulong[] { 1, 2, 3, ulong.MaxValue };
        var array = ArrowShares.ToArrow(values);

        Assert.True(ArrowShares.Aliases(array, values));
        Assert.Equal(values, array.Values.ToArray());
        values[2] = 42;                                   // a write through the ulong[] shows in the Arrow array
        Assert.Equal(42UL, array.GetValue(2));
        Assert.Same(values, ArrowShares.ToUInt64(array, out bool copied));
        Assert.False(copied);
        Assert.False(ArrowShares.Aliases(array, new ulong[4]));
    }

    [Fact]
    public void A_slice_aliases_but_converting_it_back_copies()
    {
        var values = Enumerable.Range(0, 10).Select(i => (ulong)i * 7).ToArray();
        var slice = ArrowShares.ToArrow(values, 3, 4);
        Assert.True(ArrowShares.Aliases(slice, values));
        Assert.Equal(values[3..7], slice.Values.ToArray());
        var back = ArrowShares.ToUInt64(slice, out bool copied);
        Assert.True(copied);
        Assert.Equal(values[3..7], back);
        Assert.NotSame(values, back);
    }

    [Fact]
    public void An_array_built_by_arrow_is_copied_out()
    {
        var array = new UInt64Array.Builder().AppendRange([5UL, 6, 7]).Build();
        var back = ArrowShares.ToUInt64(array, out bool copied);
        Assert.True(copied);
        Assert.Equal([5UL, 6, 7], back);
    }

    [Fact]
    public void A_party_table_round_trips_through_a_record_batch_without_copying()
    {
        using var engine = new SecureEngine();
        var secret = ContributorEncoder.Share(engine, Samples.Schema, Samples.Table(20, seed: 1));
        for (int party = 0; party < 3; party++)
        {
            var shared = SharedTable.FromSecretTable(secret, party);
            using var batch = shared.ToRecordBatch();
            Assert.Equal(shared.RowCount, batch.Length);
            Assert.Equal(party.ToString(), batch.Schema.Metadata["smpc.party"]);

            var back = SharedTable.FromRecordBatch(batch, expectedParty: party, expectedSchema: Samples.Schema);
            Assert.Equal(party, back.PartyId);
            Assert.Empty(SchemaDiff.Differences(Samples.Schema, back.Schema));
            foreach (var column in shared.Columns)
            {
                var before = column.Vectors().ToArray();
                var after = back[column.Name].Vectors().ToArray();
                Assert.Equal(before.Length, after.Length);
                for (int k = 0; k < before.Length; k++)
                {
                    Assert.Same(before[k].First, after[k].First);      // zero-copy both ways
                    Assert.Same(before[k].Second, after[k].Second);
                }
            }
        }
    }

    [Fact]
    public void Each_arrow_field_is_one_replicated_component_of_the_party()
    {
        using var engine = new SecureEngine();
        var secret = ContributorEncoder.Share(engine, Samples.Schema, Samples.Table(5, seed: 2));
        var shared = SharedTable.FromSecretTable(secret, 2);
        using var batch = shared.ToRecordBatch();
        var age = batch.Schema.FieldsList.Where(f => f.Metadata["smpc.column"] == "age").ToArray();
        Assert.Equal(["2", "0"], age.Select(f => f.Metadata["smpc.component"]));   // party 2 holds x2 and x0
        var view = SecureEngine.ViewOf(secret["age"].Values!, 2);
        Assert.True(ArrowShares.Aliases((UInt64Array)batch.Column(batch.Schema.GetFieldIndex(age[0].Name, StringComparer.Ordinal)), view.First));
        var state = batch.Schema.FieldsList.Where(f => f.Metadata["smpc.column"] == "state").Select(f => f.Metadata["smpc.domain"]).Distinct();
        Assert.Equal(Samples.Schema.Column("state").Domain, state);
        Assert.Equal("8", batch.Schema.FieldsList.First(f => f.Metadata["smpc.column"] == "benefit").Metadata["smpc.scale"]);
    }

    [Fact]
    public void Record_batches_round_trip_random_shares()
    {
        Gen.ULong.Array[0, 300].Sample(values =>
        {
            var spec = new ColumnSpec { Name = "k", Kind = ColumnKind.Pseudonym };
            var views = ReplicatedSharing.Share(values);
            var tables = Enumerable.Range(0, 3).Select(p => new SharedTable("t", p, [new SharedColumn(spec, p, views[p])])).ToArray();
            var back = tables.Select(t => SharedTable.FromRecordBatch(t.ToRecordBatch(), t.PartyId)["k"].Values!).ToArray();
            Assert.Equal(values, ReplicatedSharing.Reconstruct(back));
        }, iter: 50);
    }

    [Fact]
    public void A_shared_table_refuses_mismatched_columns()
    {
        var spec = new ColumnSpec { Name = "a", Kind = ColumnKind.Integer, Min = 0, Max = 9 };
        var other = spec with { Name = "b" };
        var lengths = Assert.Throws<ShapeException>(() => new SharedTable("t", 0, [new SharedColumn(spec, 0, ArithmeticShare.Zeros(3)), new SharedColumn(other, 0, ArithmeticShare.Zeros(4))]));
        Assert.Contains("different lengths", lengths.Message);
        var party = Assert.Throws<ShapeException>(() => new SharedTable("t", 0, [new SharedColumn(spec, 1, ArithmeticShare.Zeros(3))]));
        Assert.Contains("party 1's shares", party.Message);
        var table = new SharedTable("t", 0, [new SharedColumn(spec, 0, ArithmeticShare.Zeros(3))]);
        Assert.Contains("Unknown column 'zz'", Assert.Throws<SchemaException>(() => table["zz"]).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SharedTable("t", 3, []));
    }
}
