// Arrow fields of a coded categorical column (ShareFormat part "code"): each replicated component of the xor-shared
// codes stored as uint8, uint16 or uint32 (CategoryCode.Width), not uint64 — the compact stored form. The row
// checksum absorbs them widened to 64 bits, so it covers every field whatever its width.
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Smpc.Analytics.Columnar.Ipc;

internal static class CodeFields
{
    /// <summary>The Arrow type of a code component of <paramref name="spec"/>.</summary>
    public static IArrowType Type(ColumnSpec spec) => CategoryCode.Width(spec) switch
    {
        1 => UInt8Type.Default,
        2 => UInt16Type.Default,
        _ => UInt32Type.Default,
    };

    /// <summary>Rows [offset, offset+length) of one code component as a narrow Arrow array (a copy in managed memory:
    /// nothing to dispose, nothing left to a finalizer).</summary>
    public static IArrowArray ToArrow(ColumnSpec spec, ulong[] component, int offset, int length)
    {
        var span = component.AsSpan(offset, length);
        int width = CategoryCode.Width(spec);
        var bytes = new byte[length * width];
        for (int i = 0; i < length; i++)
            switch (width)
            {
                case 1: bytes[i] = (byte)span[i]; break;
                case 2: System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), (ushort)span[i]); break;
                default: System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 * i), (uint)span[i]); break;
            }
        var data = new ArrayData(Type(spec), length, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(bytes)]);
        return ArrowArrayFactory.BuildArray(data);
    }

    /// <summary>A code component widened to words, each checked to use only the code's bits.</summary>
    public static ulong[] Read(ColumnSpec spec, IArrowArray array, string where)
    {
        var values = Widen(array) ?? throw new ShareFileException(ShareFileProblem.SchemaMismatch, $"{where} is not an unsigned integer array.");
        ulong mask = (1UL << CategoryCode.Bits(spec)) - 1;
        for (int r = 0; r < values.Length; r++)
            if ((values[r] & ~mask) != 0)
                throw new ShareFileException(ShareFileProblem.Corrupt, $"{where}: row {r} holds a code share wider than the column's {CategoryCode.Bits(spec)} bits; the file is damaged.");
        return values;
    }

    /// <summary>Any unsigned share array as words (uint64 aliased when possible), or null for another type.</summary>
    public static ulong[]? Widen(IArrowArray array) => array switch
    {
        UInt64Array a => Arrow.ArrowShares.ToUInt64(a),
        UInt32Array a => Widen(a.Values),
        UInt16Array a => Widen(a.Values),
        UInt8Array a => Widen(a.Values),
        _ => null,
    };

    static ulong[] Widen<T>(ReadOnlySpan<T> values) where T : struct, System.Numerics.IUnsignedNumber<T>, System.Numerics.INumberBase<T>
    {
        var words = GC.AllocateUninitializedArray<ulong>(values.Length);
        for (int i = 0; i < values.Length; i++) words[i] = ulong.CreateTruncating(values[i]);
        return words;
    }

    /// <summary>Folds one field of any share width into the rows' checksums.</summary>
    public static void Absorb(ulong[] h, IArrowArray array)
    {
        if (array is UInt64Array a) RowChecksum.Absorb(h, a.Values);
        else RowChecksum.Absorb(h, Widen(array) ?? throw new ShareFileException(ShareFileProblem.SchemaMismatch, $"A share field has Arrow type {array.Data.DataType.Name}."));
    }
}
