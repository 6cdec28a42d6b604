using System.Security.Cryptography;
using Smpc.Governance.Transparency;

namespace Smpc.Registry.Tests.Governance;

/// <summary>The transparency log: the RFC 9162 tree and proofs against an independent recursive reference, and a
/// log tampered in every way and for every kind of entry, each detected with the first bad entry named.</summary>
public sealed class TransparencyLogTests
{
    static readonly DateTime T0 = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    // RFC 9162 §2.1.1, written directly from the definition.
    static byte[] ReferenceRoot(byte[][] entries)
    {
        if (entries.Length == 0) return SHA256.HashData([]);
        if (entries.Length == 1) return SHA256.HashData([0, .. entries[0]]);
        int k = 1;
        while (k * 2 < entries.Length) k *= 2;
        return SHA256.HashData([1, .. ReferenceRoot(entries[..k]), .. ReferenceRoot(entries[k..])]);
    }

    static byte[][] Entries(int n) => [.. Enumerable.Range(0, n).Select(i => System.Text.Encoding.UTF8.GetBytes($"entry {i}"))];

    [Fact]
    public void Roots_equal_the_recursive_definition()
    {
        for (int n = 0; n <= 70; n++)
        {
            var entries = Entries(n);
            var leaves = entries.Select(e => MerkleTree.LeafHash(e)).ToList();
            Assert.Equal(Convert.ToHexString(ReferenceRoot(entries)), Convert.ToHexString(MerkleTree.Root(leaves, n)));
        }
    }

    [Fact]
    public void Every_inclusion_proof_verifies_and_no_altered_one_does()
    {
        var leaves = Entries(33).Select(e => MerkleTree.LeafHash(e)).ToList();
        for (int n = 1; n <= 33; n++)
        {
            var root = MerkleTree.Root(leaves, n);
            for (int m = 0; m < n; m++)
            {
                var path = MerkleTree.InclusionProof(leaves, m, n);
                Assert.True(MerkleProofs.VerifyInclusion(m, n, leaves[m], path, root), $"leaf {m} of {n}");
                Assert.False(MerkleProofs.VerifyInclusion(m, n, leaves[(m + 1) % 33], path, root), $"other leaf at {m} of {n}");
                if (n > 1) Assert.False(MerkleProofs.VerifyInclusion((m + 1) % n, n, leaves[m], path, root), $"leaf {m} claimed at another index of {n}");
                if (path.Count > 0)
                {
                    var bent = path.Select(p => (byte[])p.Clone()).ToList();
                    bent[^1][0] ^= 1;
                    Assert.False(MerkleProofs.VerifyInclusion(m, n, leaves[m], bent, root));
                }
            }
        }
    }

    [Fact]
    public void Every_consistency_proof_verifies_and_none_across_different_histories()
    {
        var leaves = Entries(33).Select(e => MerkleTree.LeafHash(e)).ToList();
        var other = leaves.ToList();
        other[5] = MerkleTree.LeafHash("rewritten"u8);
        for (int n = 1; n <= 33; n++)
            for (int m = 1; m <= n; m++)
            {
                var proof = MerkleTree.ConsistencyProof(leaves, m, n);
                Assert.True(MerkleProofs.VerifyConsistency(m, n, MerkleTree.Root(leaves, m), MerkleTree.Root(leaves, n), proof), $"{m} → {n}");
                if (m > 5)
                {
                    // The rewritten history's old head does not extend to the true new head, nor the reverse.
                    Assert.False(MerkleProofs.VerifyConsistency(m, n, MerkleTree.Root(other, m), MerkleTree.Root(leaves, n), proof), $"forked {m} → {n}");
                    Assert.False(MerkleProofs.VerifyConsistency(m, n, MerkleTree.Root(leaves, m), MerkleTree.Root(other, n), MerkleTree.ConsistencyProof(other, m, n)), $"forked new {m} → {n}");
                }
            }
    }

    static TransparencyLog History(LogKey key, out LogEntryKind[] kinds)
    {
        kinds = Enum.GetValues<LogEntryKind>();
        var log = new TransparencyLog(key);
        for (int i = 0; i < kinds.Length * 2; i++)
            log.Append(kinds[i % kinds.Length], T0.AddMinutes(i), $"{kinds[i % kinds.Length]} number {i}", "veterans-wellbeing", $"person-{i % 4}",
                new Dictionary<string, string> { ["seq"] = i.ToString(), ["hash"] = Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i))) });
        return log;
    }

    [Fact]
    public void A_sound_log_verifies()
    {
        var log = History(LogKey.Generate("registry"), out var kinds);
        var result = LogVerifier.Verify(LogExport.Parse(log.Export().ToJson(), "log.json"));
        Assert.True(result.Sound, result.Summary);
        Assert.Equal(kinds.Length * 2, result.Entries);
        Assert.Equal(kinds.Length * 2, result.Heads);
    }

    [Fact]
    public void An_edited_entry_of_every_kind_is_named()
    {
        var log = History(LogKey.Generate("registry"), out var kinds);
        var export = log.Export();
        for (int i = 0; i < kinds.Length; i++)
        {
            var edited = export.Entries.ToList();
            edited[i] = edited[i] with { Summary = edited[i].Summary + " (amended)" };
            var result = LogVerifier.Verify(export with { Entries = edited });
            Assert.False(result.Sound);
            Assert.Equal(i, result.First!.FirstBadEntry);
            Assert.Contains(kinds[i].ToString(), result.First.Message);

            var data = export.Entries.ToList();
            data[i] = data[i] with { Data = new Dictionary<string, string>(data[i].Data) { ["seq"] = "999" } };
            Assert.Equal(i, LogVerifier.Verify(export with { Entries = data }).First!.FirstBadEntry);
        }
    }

    [Fact]
    public void Deleted_inserted_and_reordered_entries_are_named()
    {
        var log = History(LogKey.Generate("registry"), out _);
        var export = log.Export();
        var entries = export.Entries.ToList();

        var deleted = entries.ToList(); deleted.RemoveAt(7);
        Assert.Equal(7, LogVerifier.Verify(export with { Entries = deleted }).First!.FirstBadEntry);
        var renumbered = deleted.Select((e, i) => e with { Index = i }).ToList();   // a careful editor renumbers
        Assert.Equal(7, LogVerifier.Verify(export with { Entries = renumbered }).First!.FirstBadEntry);

        var inserted = entries.ToList();
        inserted.Insert(4, entries[3] with { Summary = "Approval that never happened" });
        inserted = inserted.Select((e, i) => e with { Index = i }).ToList();
        Assert.Equal(4, LogVerifier.Verify(export with { Entries = inserted }).First!.FirstBadEntry);

        var swapped = entries.ToList();
        (swapped[9], swapped[10]) = (swapped[10] with { Index = 9, Time = swapped[9].Time }, swapped[9] with { Index = 10, Time = swapped[10].Time });
        Assert.Equal(9, LogVerifier.Verify(export with { Entries = swapped }).First!.FirstBadEntry);

        var truncated = export with { Entries = entries.Take(12).ToList() };
        var result = LogVerifier.Verify(truncated);
        Assert.False(result.Sound);
        Assert.Equal(12, result.First!.FirstBadEntry);
    }

    [Fact]
    public void A_rewrite_resigned_by_the_registry_itself_is_caught_by_held_heads_and_missing_cosignatures()
    {
        var key = LogKey.Generate("registry");
        var witness = LogKey.Generate("party-0");
        var log = History(key, out var kinds);
        var w = new Witness(witness, key.Public);
        var head = log.Latest!;
        var signed = log.AddCosignature(head.Size, w.Cosign(head, [], T0.AddDays(1)), witness.Public);
        var stewardHeld = signed;

        // The operator rewrites entry 3 and re-signs every head with the log's own key.
        var entries = log.Entries.ToList();
        entries[3] = entries[3] with { Summary = "Approval of terms v1 (amended after the fact)" };
        var forged = new TransparencyLog(key);
        foreach (var e in entries) forged.Append(e.Kind, e.Time, e.Summary, e.Study, e.Actor, e.Data);
        var export = forged.Export([witness.Public]);

        Assert.True(LogVerifier.Verify(export).Sound);   // the key holder alone can produce a self-consistent log…
        var held = LogVerifier.Verify(export, new LogVerifyOptions { HeldHeads = [stewardHeld] });
        Assert.False(held.Sound);                        // …which the steward's older head exposes
        Assert.Contains("fork", held.First!.Message);
        var witnessed = LogVerifier.Verify(export, new LogVerifyOptions { RequiredCosignatures = 1 });
        Assert.False(witnessed.Sound);                   // …and no witness countersigned
        Assert.Throws<LogForkException>(() => w.Cosign(forged.Latest!, forged.ProveConsistency(head.Size, forged.Size), T0.AddDays(2)));
    }

    [Fact]
    public void A_forked_registry_is_detected_by_either_of_two_witnesses()
    {
        var key = LogKey.Generate("registry");
        var a = new Witness(LogKey.Generate("party-0"), key.Public);
        var b = new Witness(LogKey.Generate("party-1"), key.Public);
        var shared = new TransparencyLog(key);
        for (int i = 0; i < 5; i++) shared.Append(LogEntryKind.Approval, T0.AddMinutes(i), $"approval {i}", "s1");
        var h5 = shared.Latest!;
        a.Cosign(h5, [], T0); b.Cosign(h5, [], T0);

        // Two branches from the same prefix: one shows a refusal, the other hides it behind a release.
        var left = new TransparencyLog(key, shared.Entries, shared.Heads);
        var right = new TransparencyLog(key, shared.Entries, shared.Heads);
        left.Append(LogEntryKind.Refusal, T0.AddHours(1), "query refused: minimum cell size", "s1");
        right.Append(LogEntryKind.Release, T0.AddHours(1), "release R09", "s1");
        a.Cosign(left.Latest!, left.ProveConsistency(5, 6), T0.AddHours(2));
        b.Cosign(right.Latest!, right.ProveConsistency(5, 6), T0.AddHours(2));

        // Each witness refuses the other branch, both ways round.
        var fork = Assert.Throws<LogForkException>(() => a.Cosign(right.Latest!, right.ProveConsistency(6, 6), T0.AddHours(3)));
        Assert.Equal(6, fork.Held.Size);
        Assert.Throws<LogForkException>(() => b.Cosign(left.Latest!, left.ProveConsistency(6, 6), T0.AddHours(3)));
        right.Append(LogEntryKind.Query, T0.AddHours(4), "query", "s1");
        Assert.Throws<LogForkException>(() => a.Cosign(right.Latest!, right.ProveConsistency(6, 7), T0.AddHours(4)));
        Assert.Throws<LogForkException>(() => a.Cosign(h5, [], T0.AddHours(4)));   // a rollback to an older head

        // A steward holding a's head detects the fork in the right branch's export.
        var result = LogVerifier.Verify(right.Export(), new LogVerifyOptions { HeldHeads = [a.Last!] });
        Assert.False(result.Sound);
        Assert.Contains("fork", result.First!.Message);
    }

    [Fact]
    public void An_inclusion_proof_checks_offline_and_a_changed_one_does_not()
    {
        var key = LogKey.Generate("registry");
        var witness = LogKey.Generate("party-2");
        var log = History(key, out _);
        var w = new Witness(witness, key.Public);
        log.AddCosignature(log.Size, w.Cosign(log.Latest!, [], T0), witness.Public);
        var proof = InclusionProof.Parse(log.ProveInclusion(10).ToJson(), "proof.json");
        proof.Verify(key.Public, [witness.Public]);

        var edited = proof with { Entry = proof.Entry with { Summary = "something else" } };
        Assert.Equal(10, Assert.Throws<LogVerificationException>(() => edited.Verify(key.Public)).FirstBadEntry);
        var otherKey = LogKey.Generate("registry");
        Assert.Throws<LogVerificationException>(() => proof.Verify(otherKey.Public));
        Assert.Throws<LogVerificationException>(() => proof.Verify(key.Public, [LogKey.Generate("party-1").Public]));
    }

    [Fact]
    public void Stored_heads_that_do_not_match_stored_entries_are_refused_on_load()
    {
        var key = LogKey.Generate("registry");
        var log = History(key, out _);
        var entries = log.Entries.ToList();
        entries[2] = entries[2] with { Actor = "someone-else" };
        var e = Assert.Throws<LogVerificationException>(() => new TransparencyLog(key, entries, log.Heads));
        Assert.Equal(2, e.FirstBadEntry);
    }
}
