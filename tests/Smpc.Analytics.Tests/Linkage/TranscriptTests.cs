using System.Buffers.Binary;
using System.Text;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Transport;
using static Smpc.Analytics.Tests.Linkage.SyntheticLinkageData;

namespace Smpc.Analytics.Tests.Linkage;

/// <summary>
/// Records every byte the three compute parties send each other during OPRF pseudonymisation and a two-pass secure
/// join, and checks the party view: no identifier, no hashed or evaluated curve point, no pseudonym and no payload
/// value appears in any message; pseudonyms are opened only from shuffled vectors, in an order that is not the
/// contributors' row order.
/// </summary>
public class TranscriptTests
{
    sealed class Recorder : ITranscriptRecorder
    {
        readonly Lock _gate = new();
        public List<byte[]> Messages { get; } = [];
        public void Record(int self, int peer, bool sent, ReadOnlySpan<byte> message)
        {
            if (!sent) return;     // every message is recorded once, by its sender
            var copy = message.ToArray();
            lock (_gate) Messages.Add(copy);
        }
    }

    static Extract WithSecretPayload(string name, Person[] people, int first, int count, int duplicates, int seed)
    {
        var rng = new Random(seed);
        var rows = Rows(first, count, duplicates, rng);
        var (ssn, last, given, dob, sex) = Identifiers(people, rows, rng);
        var secret = rows.Select(_ => rng.NextInt64(-(1L << 60), 1L << 60)).ToArray();
        var raw = new PlainTable(name).Add("ssn", ssn).Add("last_name", last).Add("first_name", given).Add("dob", dob).Add("sex", sex)
            .Add(name + "_secret", secret);
        var schema = new TableSchema { Name = name, Columns = [new ColumnSpec { Name = name + "_secret", Kind = ColumnKind.Integer, Min = -(1L << 61), Max = 1L << 61 }] };
        return new Extract(raw, schema, rows);
    }

    [Fact]
    public void Party_transcript_holds_no_identifier_point_pseudonym_or_payload_and_opened_pseudonyms_are_shuffled()
    {
        using var secure = new SecureEngine();
        var recorder = new Recorder();
        secure.Cluster.Record(recorder);
        var engine = new SpyEngine(secure);
        var oprf = new ClusterOprfService(secure.Cluster, OprfKeyShare.GenerateForParties());
        oprf.Allow("veterans", 1_000); oprf.Allow("bank", 1_000);

        var people = Population(90, seed: 5);
        var extracts = new[] { WithSecretPayload("veterans", people, 0, 60, 3, 21), WithSecretPayload("bank", people, 30, 60, 2, 22) };
        var contributions = extracts.Select(e => Contribute(engine, e, new OprfPseudonymiser(oprf, e.Raw.Name))).ToArray();
        int oprfMessages = recorder.Messages.Count;
        Assert.True(recorder.Messages.Sum(m => (long)m.Length) >= 2L * 32 * 2 * (63 + 62), "the OPRF chain's blinded points go over the party links");

        var result = SecureJoin.Run(contributions.Select(c => new JoinInput(c.Shared, DuplicatePolicy.KeepFirst)).ToArray(),
            new JoinOptions { Kind = JoinKind.Left, Passes = Passes, MinCellSize = 1 });
        Assert.True(recorder.Messages.Count > oprfMessages);
        Assert.True(result.Table.RowCount > 0);

        // 1. Opened pseudonyms: only from vectors that a shuffle produced, never in the contributors' order.
        Assert.NotEmpty(engine.Opened);
        Assert.All(engine.Opened, o => Assert.True(o.WasShuffled, $"'{o.Purpose}' opened a vector that was not the output of a shuffle"));
        var pseudonyms = contributions.SelectMany(c => Keys.SelectMany(k => (ulong[])c.Prepared.Data[k.Name])).ToHashSet();
        Assert.All(engine.Opened, o => Assert.Subset(pseudonyms, o.Values.ToHashSet()));   // nothing but pseudonyms is ever opened
        for (int t = 0; t < 2; t++)
        {
            var inputOrder = (ulong[])contributions[t].Prepared.Data["ssn_key"];
            var opened = engine.Opened.First(o => o.Purpose.Contains($"'{extracts[t].Raw.Name}'.'ssn_key'")).Values;
            Assert.Equal(inputOrder.Order(), opened.Order());             // the whole column, once …
            Assert.NotEqual(inputOrder, opened);                          // … but not in the contributor's row order
        }

        // 2. What must never cross a party link, as 8-byte little-endian words at any byte offset or as text.
        var forbiddenWords = new HashSet<ulong>(pseudonyms);
        foreach (var e in extracts)
        {
            foreach (var v in (long[])e.Raw[e.Raw.Name + "_secret"]) forbiddenWords.Add((ulong)v);
            foreach (var s in e.PersonOfRow.Select(p => people[p].Ssn)) forbiddenWords.Add(ulong.Parse(s));
        }
        foreach (var (c, e) in contributions.Zip(extracts))
            foreach (var key in Keys)
            {
                var keyStrings = key.KeysOf(e.Raw).Where(k => k is not null).Select(k => k!).ToArray();
                var pseudonymiser = new OprfPseudonymiser(new InProcessOprfService(OprfKeyShare.GenerateForParties()), "unused");
                var h1 = pseudonymiser.HashToCurve(keyStrings);                                // hashed, unblinded identifiers
                for (int i = 0; i < h1.Length; i += 8) forbiddenWords.Add(BinaryPrimitives.ReadUInt64LittleEndian(h1.AsSpan(i)));
            }
        var forbiddenText = extracts.SelectMany(e => e.PersonOfRow.Select(p => people[p]))
            .SelectMany(p => new[] { p.Ssn, Normalize.Surname(p.Surname.Display)!, $"{p.Ssn[..3]}-{p.Ssn[3..5]}-{p.Ssn[5..]}" })
            .Distinct().ToArray();

        long scanned = 0;
        foreach (var m in recorder.Messages)
        {
            for (int i = 0; i + 8 <= m.Length; i++)
                Assert.False(forbiddenWords.Contains(BinaryPrimitives.ReadUInt64LittleEndian(m.AsSpan(i))), $"a message holds a forbidden value at byte {i}");
            foreach (var text in forbiddenText)
            {
                Assert.True(m.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) < 0, $"a message holds the text '{text}'");
                Assert.True(m.AsSpan().IndexOf(Encoding.Unicode.GetBytes(text)) < 0, $"a message holds the UTF-16 text '{text}'");
            }
            scanned += m.Length;
        }
        Assert.True(scanned > 40_000, $"only {scanned} bytes were recorded");
        Assert.True(forbiddenWords.Count > 500);
    }
}
