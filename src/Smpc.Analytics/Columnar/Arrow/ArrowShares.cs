using System.Runtime.InteropServices;
using Apache.Arrow;

namespace Smpc.Analytics.Columnar.Arrow;

/// <summary>
/// Conversions between share components (<c>ulong[]</c>) and Arrow <see cref="UInt64Array"/>s.
/// To Arrow is always zero-copy: the array's value buffer aliases the <c>ulong[]</c>. Back from Arrow is
/// zero-copy when the array is such an alias covering the whole <c>ulong[]</c>; an array whose memory Arrow
/// owns (for example one read from an IPC file) is copied once, because a share component is a managed array.
/// </summary>
public static class ArrowShares
{
    /// <summary>A <see cref="UInt64Array"/> over <paramref name="values"/> (no copy, no null bitmap).</summary>
    public static UInt64Array ToArrow(ulong[] values) => ToArrow(values, 0, values.Length);

    /// <summary>A <see cref="UInt64Array"/> over <c>values[offset..offset+length]</c> (no copy).</summary>
    public static UInt64Array ToArrow(ulong[] values, int offset, int length)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if ((long)offset + length > values.Length) throw new ArgumentOutOfRangeException(nameof(length), $"Rows {offset}..{offset + length} exceed an array of {values.Length}.");
        var memory = new UInt64MemoryManager(values).Memory.Slice(offset * sizeof(ulong), length * sizeof(ulong));
        return new UInt64Array(new ArrowBuffer(memory), ArrowBuffer.Empty, length, nullCount: 0, offset: 0);
    }

    /// <summary>The components as a <c>ulong[]</c>: the aliased array itself when <paramref name="array"/> was
    /// made by <see cref="ToArrow(ulong[])"/> over a whole array, otherwise a copy.</summary>
    public static ulong[] ToUInt64(UInt64Array array) => ToUInt64(array, out _);

    /// <inheritdoc cref="ToUInt64(UInt64Array)"/>
    /// <param name="copied">Whether a copy was made.</param>
    public static ulong[] ToUInt64(UInt64Array array, out bool copied)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (Alias(array) is { } whole) { copied = false; return whole; }
        copied = true;
        return array.Values.ToArray();
    }

    /// <summary>Whether the array's value buffer is the memory of <paramref name="values"/> (same address).</summary>
    public static unsafe bool Aliases(UInt64Array array, ulong[] values)
    {
        var span = array.Values;
        if (span.IsEmpty || values.Length == 0) return span.IsEmpty && values.Length == 0 && Alias(array) == values;
        fixed (ulong* a = span)
        fixed (ulong* b = values)
            return a >= b && a < b + values.Length;
    }

    /// <summary>The whole <c>ulong[]</c> behind an array made by <see cref="ToArrow(ulong[])"/>, or null.</summary>
    static ulong[]? Alias(UInt64Array array)
    {
        if (array.Offset != 0 || array.NullCount != 0) return null;
        if (!MemoryMarshal.TryGetMemoryManager<byte, UInt64MemoryManager>(array.ValueBuffer.Memory, out var manager, out int start, out int length)) return null;
        var whole = manager.Array;
        return start == 0 && length == whole.Length * sizeof(ulong) && array.Length == whole.Length ? whole : null;
    }
}
