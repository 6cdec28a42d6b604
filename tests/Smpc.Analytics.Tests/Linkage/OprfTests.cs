using System.Numerics;
using System.Security.Cryptography;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Session;

namespace Smpc.Analytics.Tests.Linkage;

/// <summary>The threshold OPRF: known answers against the BigInteger reference, the pseudonym properties, the
/// blinding and the key sharing, and the cluster chain equal to the in-process chain.</summary>
public class OprfTests
{
    static readonly byte[][] FixedScalars =
    [
        Convert.FromHexString("0101010101010101010101010101010101010101010101010101010101010101"),
        Convert.FromHexString("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
        Convert.FromHexString("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"),
    ];

    static OprfKeyShare[] FixedShares() => [.. FixedScalars.Select((k, i) => OprfKeyShare.FromScalar(i, k))];

    static InProcessOprfService Service(OprfKeyShare[]? shares = null, X25519Backend? backend = null)
    {
        var s = new InProcessOprfService(shares ?? FixedShares(), backend);
        s.Allow("veterans", 100_000); s.Allow("bank", 100_000);
        return s;
    }

    [Fact]
    public void Unblinded_output_equals_joint_key_times_hash_by_the_reference()
    {
        string[] keys = ["ssn:123456780", "ssn:012345678", "nds:DOE|JOHN|19700305|M"];
        var y = new OprfPseudonymiser(Service(), "veterans").Evaluate(keys);
        var joint = FixedScalars.Aggregate(BigInteger.One, (acc, k) => acc * Curve25519Reference.Clamp(k) % Curve25519Reference.Order);
        for (int i = 0; i < keys.Length; i++)
        {
            var h1 = Curve25519Reference.HashToCurve(System.Text.Encoding.UTF8.GetBytes(keys[i]), System.Text.Encoding.UTF8.GetBytes(OprfPseudonymiser.HashToCurveTag));
            var expected = Curve25519Reference.Multiply(joint, h1)!.Value.X;
            Assert.Equal(Curve25519Reference.LittleEndian(expected), y.AsSpan(32 * i, 32).ToArray());
        }
    }

    [Fact]
    public void Known_answer_pseudonym()
    {
        // Pinned output of the whole construction for fixed key shares (cross-checked by the test above).
        var p = new OprfPseudonymiser(Service(), "veterans").Pseudonymise(["ssn:123456780"]);
        Assert.Equal(KnownPseudonym, p[0]);
    }

    internal const ulong KnownPseudonym = 11345739804835494700UL;

    [Fact]
    public void Same_identifier_from_two_contributors_gives_the_same_pseudonym_and_different_identifiers_differ()
    {
        var service = Service(OprfKeyShare.GenerateForParties());
        string[] keys = ["ssn:123456780", "ssn:123456781", "ssn:123456780", "nds:DOE|JOHN|19700305|M"];
        var a = new OprfPseudonymiser(service, "veterans").Pseudonymise(keys);
        var b = new OprfPseudonymiser(service, "bank").Pseudonymise(keys.Reverse().ToArray());
        Assert.Equal(a, b.Reverse());
        Assert.Equal(a[0], a[2]);
        Assert.Equal(3, a.Distinct().Count());
    }

    [Fact]
    public void Missing_keys_get_random_pseudonyms_that_match_nothing_and_still_cost_one_evaluation()
    {
        var service = Service();
        var p = new OprfPseudonymiser(service, "veterans").Pseudonymise(["ssn:123456780", null, null]);
        Assert.Equal(3, p.Distinct().Count());
        Assert.Equal(3, service.Used("veterans"));
    }

    [Fact]
    public void No_single_party_and_no_two_parties_can_evaluate_the_function()
    {
        var shares = OprfKeyShare.GenerateForParties();
        string[] keys = ["ssn:123456780"];
        var full = new OprfPseudonymiser(Service(shares), "veterans").Pseudonymise(keys);
        foreach (var subset in new[] { new[] { 0 }, [1], [2], [0, 1], [0, 2], [1, 2] })
        {
            // A coalition replaces the missing shares with keys of its own choosing: the result is another function.
            var guessed = shares.Select(s => subset.Contains(s.Party) ? s : OprfKeyShare.Generate(s.Party)).ToArray();
            var partial = new OprfPseudonymiser(Service(guessed), "veterans").Pseudonymise(keys);
            Assert.NotEqual(full, partial);
        }
    }

    [Fact]
    public void Blinded_inputs_differ_each_time_and_differ_from_the_hashed_identifier()
    {
        var recorder = new RecordingService(Service());
        var pseudonymiser = new OprfPseudonymiser(recorder, "veterans");
        pseudonymiser.Pseudonymise(["ssn:123456780"]);
        pseudonymiser.Pseudonymise(["ssn:123456780"]);
        var h1 = pseudonymiser.HashToCurve(["ssn:123456780"]);
        Assert.Equal(2, recorder.Inputs.Count);
        Assert.NotEqual(recorder.Inputs[0], recorder.Inputs[1]);
        Assert.All(recorder.Inputs, b => Assert.NotEqual(h1, b));
    }

    [Fact]
    public void Unblinding_scalars_invert_the_clamped_blinding_scalars()
    {
        var (r, s) = BlindingScalars.Generate(500);
        for (int i = 0; i < 500; i++)
        {
            var product = BlindingScalars.Clamped(r.AsSpan(32 * i, 32)) * BlindingScalars.Clamped(s.AsSpan(32 * i, 32)) % BlindingScalars.Order;
            Assert.Equal(BigInteger.One, product);
            Assert.Equal(BlindingScalars.Clamped(s.AsSpan(32 * i, 32)), new BigInteger(s.AsSpan(32 * i, 32), isUnsigned: true));   // s is already clamped
        }
    }

    [Fact]
    public void Allowance_is_enforced_with_a_clear_error()
    {
        var service = new InProcessOprfService(FixedShares());
        var e = Assert.Throws<LinkageException>(() => new OprfPseudonymiser(service, "bank").Pseudonymise(["ssn:123456780"]));
        Assert.Contains("'bank' has no OPRF allowance", e.Message);
        service.Allow("bank", 2);
        new OprfPseudonymiser(service, "bank").Pseudonymise(["ssn:123456780", "ssn:123456781"]);
        e = Assert.Throws<LinkageException>(() => new OprfPseudonymiser(service, "bank").Pseudonymise(["ssn:123456782"]));
        Assert.Contains("has 0 left", e.Message);
    }

    [Fact]
    public void Cluster_chain_equals_in_process_chain_and_both_X25519_backends_agree()
    {
        string[] keys = [.. Enumerable.Range(0, 9000).Select(i => $"ssn:{100000000 + i}")];   // more than two chunks
        var expected = new OprfPseudonymiser(Service(), "veterans").Pseudonymise(keys);
        using var cluster = new LocalCluster();
        var clustered = new ClusterOprfService(cluster, FixedShares());
        clustered.Allow("veterans", keys.Length);
        Assert.Equal(expected, new OprfPseudonymiser(clustered, "veterans").Pseudonymise(keys));
        Assert.Equal(expected[..300], new OprfPseudonymiser(Service(backend: X25519Backend.BouncyCastle), "veterans", X25519Backend.BouncyCastle).Pseudonymise(keys[..300]));
        Assert.True(cluster.Traffic().Sum(t => t.BytesSent) >= 2L * 32 * keys.Length);
    }

    sealed class RecordingService(IOprfService inner) : IOprfService
    {
        public List<byte[]> Inputs { get; } = [];
        public string Description => inner.Description;
        public byte[] Evaluate(string contributor, byte[] blinded) { Inputs.Add((byte[])blinded.Clone()); return inner.Evaluate(contributor, blinded); }
    }
}
