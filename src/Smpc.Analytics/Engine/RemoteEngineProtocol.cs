// Command wire format between the analyst's RemoteEngine (the coordinator) and the three `smpc party --serve`
// processes. One command = one data frame of a FramedLink over TLS 1.3; one reply = one frame back.
// All integers little-endian; a vector is [i32 n][n × u64]; a handle is an i64 chosen by the coordinator.
//
//   command: [u8 op][operands…]                    reply: [u8 0][result…]   or   [u8 1][u8 error kind][i32 peer][string message]
//
//   op                       operands                                  result (ok)
//   Share           1        r, first vector, second vector            i32 length   (each party gets only its own view)
//   Public          2        r, vector                                 i32 length
//   Add/Subtract    3/4      r, x, y                                   i32 length
//   AddPublic/MulPublic 5/6  r, x, u64 c                               i32 length
//   Multiply        7        r, x, y                                   i32 length
//   Truncate        8        r, x, i32 bits                            i32 length
//   Sum             9        r, x                                      i32 length
//   Dot             10       r, i32 k, k × (x, y)                      i32 length
//   Gather          11       r, x, i32 k, k × i32 row                  i32 length
//   Concat          12       r, i32 k, k × x                           i32 length
//   LessThan/Equal  13/16    r, x, y                                   i32 length
//   LessThan/GreaterThan/Equal public 14/15/17   r, x, u64 c           i32 length
//   And/Or/Xor      18/19/20 r, x, y                                   i32 length
//   Not             21       r, x                                      i32 length
//   ToArithmetic    22       r, x                                      i32 length
//   Shuffle         23       i32 k, k × r, k × x                       i32 length
//   ViewVector      24       x                                         first vector, second vector        (Reveal to the analyst)
//   ViewBits        25       x                                         i32 length, first vector, second vector
//   OpenVector      26       x                                         vector                             (RevealToParties)
//   OpenBits        27       x                                         i32 k, k × u8
//   Traffic         28       —                                         4 × i64 (bytes sent, received, messages, rounds)
//   Free            29       i32 k, k × handle                         —
//   End             30       —                                         — (job over; the party waits for the next analyst)
//   Shutdown        31       —                                         — (the party process exits)
//   BitsOf          32       r, x                                      i32 length (64 bits per word of x)
//
// Strings are [i32 byte count][UTF-8]. Error kinds: 0 engine error, 1 shape, 2 range, 3 argument out of range,
// 4 argument, 5 peer failure (peer = failed party), 6 other. The wire carries only share views, public constants,
// public row indices and opened/revealed results — never plaintext inputs. Leakage: see LEAKAGE.md (RemoteEngine).
using System.Runtime.InteropServices;
using System.Text;

namespace Smpc.Analytics.Engine;

internal enum RemoteOp : byte
{
    Share = 1, Public, Add, Subtract, AddPublic, MultiplyPublic, Multiply, Truncate, Sum, Dot, Gather, Concat,
    LessThan, LessThanPublic, GreaterThanPublic, Equal, EqualPublic, And, Or, Xor, Not, ToArithmetic, Shuffle,
    ViewVector, ViewBits, OpenVector, OpenBits, Traffic, Free, End, Shutdown, BitsOf,
}

internal enum RemoteErrorKind : byte { Engine, Shape, Range, ArgumentOutOfRange, Argument, PeerFailure, Other }

/// <summary>Builds one command or reply frame.</summary>
internal sealed class WireWriter
{
    readonly MemoryStream _buffer = new();
    readonly BinaryWriter _out;

    public WireWriter() => _out = new BinaryWriter(_buffer, Encoding.UTF8, leaveOpen: true);

    public WireWriter Op(RemoteOp op) { _out.Write((byte)op); return this; }
    public WireWriter Byte(byte b) { _out.Write(b); return this; }
    public WireWriter Int(int v) { _out.Write(v); return this; }
    public WireWriter Long(long v) { _out.Write(v); return this; }
    public WireWriter ULong(ulong v) { _out.Write(v); return this; }

    public WireWriter Vector(ReadOnlySpan<ulong> values)
    {
        _out.Write(values.Length);
        _out.Write(MemoryMarshal.AsBytes(values));
        return this;
    }

    public WireWriter Text(string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        _out.Write(bytes.Length);
        _out.Write(bytes);
        return this;
    }

    public byte[] ToArray() { _out.Flush(); return _buffer.ToArray(); }
}

/// <summary>Reads one command or reply frame; a malformed frame gives a clear error, not a misread.</summary>
internal sealed class WireReader(byte[] frame, string from)
{
    int _at;

    public bool AtEnd => _at == frame.Length;

    ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || frame.Length - _at < count)
            throw new SmpcException($"Malformed message from {from}: it ends after {frame.Length} bytes, {count} more were expected at byte {_at}.");
        var span = frame.AsSpan(_at, count);
        _at += count;
        return span;
    }

    public byte Byte() => Take(1)[0];
    public int Int() => BitConverter.ToInt32(Take(4));
    public long Long() => BitConverter.ToInt64(Take(8));
    public ulong ULong() => BitConverter.ToUInt64(Take(8));

    public int Count()
    {
        int n = Int();
        if (n < 0 || n > (frame.Length - _at)) throw new SmpcException($"Malformed message from {from}: a count of {n} at byte {_at - 4} does not fit the message.");
        return n;
    }

    public ulong[] Vector()
    {
        int n = Int();
        if (n < 0 || (long)n * 8 > frame.Length - _at) throw new SmpcException($"Malformed message from {from}: a vector of {n} elements at byte {_at - 4} does not fit the message.");
        return MemoryMarshal.Cast<byte, ulong>(Take(n * 8)).ToArray();
    }

    public string Text() => Encoding.UTF8.GetString(Take(Count()));

    public void End()
    {
        if (!AtEnd) throw new SmpcException($"Malformed message from {from}: {frame.Length - _at} unexpected bytes at the end.");
    }
}
