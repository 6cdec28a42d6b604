using System.Buffers;
using System.Runtime.InteropServices;

namespace Smpc.Analytics.Columnar.Arrow;

/// <summary>
/// Exposes a <c>ulong[]</c> as <see cref="Memory{T}"/> of bytes without copying, so an Arrow buffer can
/// alias a share component in place. The array stays owned by the GC; pinning uses a GC handle.
/// </summary>
internal sealed class UInt64MemoryManager(ulong[] array) : MemoryManager<byte>
{
    public ulong[] Array { get; } = array;

    public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(Array.AsSpan());

    public override unsafe MemoryHandle Pin(int elementIndex = 0)
    {
        if ((uint)elementIndex > (uint)Array.Length * sizeof(ulong)) throw new ArgumentOutOfRangeException(nameof(elementIndex));
        var handle = GCHandle.Alloc(Array, GCHandleType.Pinned);
        byte* start = (byte*)handle.AddrOfPinnedObject();
        return new MemoryHandle(start + elementIndex, handle, this);
    }

    public override void Unpin() { }   // the GCHandle inside MemoryHandle is freed by MemoryHandle.Dispose

    protected override void Dispose(bool disposing) { }   // nothing owned: the array belongs to its share
}
