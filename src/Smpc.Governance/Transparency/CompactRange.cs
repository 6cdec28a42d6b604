// The root of a growing RFC 9162 tree without keeping its leaves: a stack of the perfect subtrees that cover the
// leaves so far (at most log2(n) hashes). Appending merges equal-sized subtrees; the root folds the stack from the
// right, which is MTH of all leaves because the tree always splits at a power of two. Used wherever a log grows one
// entry at a time (TransparencyLog, the registry's log, the verifier's pass over an export).
namespace Smpc.Governance.Transparency;

public sealed class CompactRange
{
    readonly List<(long Size, byte[] Hash)> _stack = [];

    public long Size { get; private set; }

    public void Append(byte[] leafHash)
    {
        _stack.Add((1, leafHash));
        Size++;
        while (_stack.Count >= 2 && _stack[^1].Size == _stack[^2].Size)
        {
            var right = _stack[^1];
            var left = _stack[^2];
            _stack.RemoveRange(_stack.Count - 2, 2);
            _stack.Add((left.Size * 2, MerkleTree.NodeHash(left.Hash, right.Hash)));
        }
    }

    public byte[] Root()
    {
        if (_stack.Count == 0) return MerkleTree.EmptyRoot();
        var r = _stack[^1].Hash;
        for (int j = _stack.Count - 2; j >= 0; j--) r = MerkleTree.NodeHash(_stack[j].Hash, r);
        return r;
    }

    public CompactRange Clone()
    {
        var copy = new CompactRange { Size = Size };
        copy._stack.AddRange(_stack);
        return copy;
    }
}
