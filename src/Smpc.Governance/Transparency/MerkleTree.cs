// The Merkle tree of the transparency log, exactly as RFC 9162 (Certificate Transparency 2.0) §2.1 defines it:
// leaf hash SHA-256(0x00 || entry), interior node SHA-256(0x01 || left || right), the tree over n leaves split at
// the largest power of two below n. Proof generation here (inclusion: §2.1.3.1, consistency: §2.1.4.1); checking
// proofs without the tree: MerkleProofs.cs. Everything is a pure function of the leaf hashes.
using System.Numerics;
using System.Security.Cryptography;

namespace Smpc.Governance.Transparency;

/// <summary>The log's Merkle tree (RFC 9162 §2.1) over a list of leaf hashes.</summary>
public static class MerkleTree
{
    public const int HashSize = 32;

    /// <summary>The hash of the empty tree: SHA-256 of the empty string.</summary>
    public static byte[] EmptyRoot() => SHA256.HashData([]);

    public static byte[] LeafHash(ReadOnlySpan<byte> entry)
    {
        var buffer = new byte[entry.Length + 1];
        entry.CopyTo(buffer.AsSpan(1));
        return SHA256.HashData(buffer);
    }

    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[1 + 2 * HashSize];
        buffer[0] = 1;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + HashSize)..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>MTH(D[0:n]) of the first <paramref name="size"/> leaves.</summary>
    public static byte[] Root(IReadOnlyList<byte[]> leaves, int size)
    {
        CheckRange(leaves, 0, size);
        return size == 0 ? EmptyRoot() : Subtree(leaves, 0, size);
    }

    /// <summary>The inclusion proof PATH(m, D[0:n]) of leaf <paramref name="index"/> in the tree of the first
    /// <paramref name="size"/> leaves.</summary>
    public static IReadOnlyList<byte[]> InclusionProof(IReadOnlyList<byte[]> leaves, long index, int size)
    {
        CheckRange(leaves, 0, size);
        if (index < 0 || index >= size) throw new ArgumentOutOfRangeException(nameof(index), $"Leaf {index} is not in a tree of {size} leaves.");
        var path = new List<byte[]>();
        Path((int)index, 0, size);
        return path;

        void Path(int m, int start, int n)
        {
            if (n <= 1) return;
            int k = SplitPoint(n);
            if (m < k) { Path(m, start, k); path.Add(Subtree(leaves, start + k, n - k)); }
            else { Path(m - k, start + k, n - k); path.Add(Subtree(leaves, start, k)); }
        }
    }

    /// <summary>The consistency proof PROOF(m, D[0:n]) between the tree of the first <paramref name="oldSize"/>
    /// leaves and the tree of the first <paramref name="newSize"/>.</summary>
    public static IReadOnlyList<byte[]> ConsistencyProof(IReadOnlyList<byte[]> leaves, int oldSize, int newSize)
    {
        CheckRange(leaves, 0, newSize);
        if (oldSize < 0 || oldSize > newSize) throw new ArgumentOutOfRangeException(nameof(oldSize), $"A tree of {oldSize} leaves cannot be a prefix of one of {newSize}.");
        var proof = new List<byte[]>();
        if (oldSize == 0 || oldSize == newSize) return proof;
        SubProof(oldSize, 0, newSize, true);
        return proof;

        void SubProof(int m, int start, int n, bool whole)
        {
            if (m == n)
            {
                if (!whole) proof.Add(Subtree(leaves, start, n));
                return;
            }
            int k = SplitPoint(n);
            if (m <= k) { SubProof(m, start, k, whole); proof.Add(Subtree(leaves, start + k, n - k)); }
            else { SubProof(m - k, start + k, n - k, false); proof.Add(Subtree(leaves, start, k)); }
        }
    }

    /// <summary>The largest power of two smaller than <paramref name="n"/> (n ≥ 2).</summary>
    internal static int SplitPoint(long n) => (int)(1L << (63 - BitOperations.LeadingZeroCount((ulong)(n - 1))));

    static byte[] Subtree(IReadOnlyList<byte[]> leaves, int start, int n)
    {
        // Level by level: pairing adjacent nodes and carrying an odd last node up unchanged gives the same root as
        // the recursive definition (the recursion always splits at a power of two).
        var level = new byte[n][];
        for (int i = 0; i < n; i++) level[i] = leaves[start + i];
        while (n > 1)
        {
            int half = n / 2;
            for (int i = 0; i < half; i++) level[i] = NodeHash(level[2 * i], level[2 * i + 1]);
            if ((n & 1) == 1) level[half] = level[n - 1];
            n = half + (n & 1);
        }
        return level[0];
    }

    static void CheckRange(IReadOnlyList<byte[]> leaves, int start, int size)
    {
        if (size < 0 || start + size > leaves.Count)
            throw new ArgumentOutOfRangeException(nameof(size), $"The log holds {leaves.Count} entries, not {size}.");
    }
}
