// Encryption at rest of a party's stored share files: chunked AES-256-GCM.
// Reference: NIST SP 800-38D (GCM); chunking with a final-chunk flag in the associated data as in the STREAM
// construction (Hoang, Reyhanitabar, Rogaway, Vizár, CRYPTO 2015, §7).
// Layout: "SMPCSTO1" | 8-byte random nonce prefix | chunks, each: u32 plaintext length (LE) | ciphertext | 16-byte tag.
// Chunk i's nonce = prefix ‖ u32 i (big-endian); its associated data = context ‖ u32 i ‖ final flag, where the
// context names study, dataset and upload id. So a chunk moved, dropped, reordered, a file cut after a chunk, or a
// file renamed to another dataset or upload all fail to decrypt. Every chunk is 1 MiB except the last (final).
// Leakage at rest: the plaintext length (≈ the party's share file size: schema and row count), nothing else.
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Smpc.Analytics.Studies.Store;

/// <summary>Writes an encrypted file sequentially; <see cref="Complete"/> seals the last chunk and flushes to disk.</summary>
internal sealed class EncryptingStream : Stream
{
    internal const int ChunkSize = 1 << 20;
    internal static ReadOnlySpan<byte> Magic => "SMPCSTO1"u8;

    readonly FileStream _file;
    readonly AesGcm _aes;
    readonly byte[] _context, _prefix = RandomNumberGenerator.GetBytes(8);
    readonly byte[] _buffer = new byte[ChunkSize], _cipher = new byte[ChunkSize], _tag = new byte[16];
    readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    int _filled;
    uint _chunk;
    long _plain, _stored;

    public EncryptingStream(FileStream file, StoreKey key, string context)
    {
        _file = file;
        _aes = key.Cipher();
        _context = Encoding.UTF8.GetBytes(context);
        Emit(Magic);
        Emit(_prefix);
    }

    /// <summary>Bytes of the encrypted file written so far.</summary>
    public long StoredBytes => _stored;

    public override bool CanRead => false;
    // Arrow's file writer asks for a seekable stream only to learn its position (block offsets for the footer); it
    // never moves backwards, so "seeking" to the current position is all that is supported.
    public override bool CanSeek => true;
    public override bool CanWrite => true;
    public override long Length => _plain;
    public override long Position { get => _plain; set => Seek(value, SeekOrigin.Begin); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            if (_filled == ChunkSize) Seal(final: false);
            int n = Math.Min(ChunkSize - _filled, data.Length);
            data[..n].CopyTo(_buffer.AsSpan(_filled));
            _filled += n;
            _plain += n;
            data = data[n..];
        }
    }

    /// <summary>Seals the final chunk, flushes the file to disk and returns the SHA-256 of the encrypted file (hex).</summary>
    public string Complete()
    {
        Seal(final: true);
        _file.Flush(flushToDisk: true);
        return Convert.ToHexStringLower(_sha.GetHashAndReset());
    }

    void Seal(bool final)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)_filled);
        _aes.Encrypt(Nonce(_prefix, _chunk), _buffer.AsSpan(0, _filled), _cipher.AsSpan(0, _filled), _tag, Associated(_context, _chunk, final));
        Emit(length);
        Emit(_cipher.AsSpan(0, _filled));
        Emit(_tag);
        _chunk++;
        _filled = 0;
    }

    void Emit(ReadOnlySpan<byte> bytes)
    {
        _file.Write(bytes);
        _sha.AppendData(bytes);
        _stored += bytes.Length;
    }

    internal static byte[] Nonce(byte[] prefix, uint chunk)
    {
        var nonce = new byte[12];
        prefix.CopyTo(nonce, 0);
        BinaryPrimitives.WriteUInt32BigEndian(nonce.AsSpan(8), chunk);
        return nonce;
    }

    internal static byte[] Associated(byte[] context, uint chunk, bool final)
    {
        var ad = new byte[context.Length + 5];
        context.CopyTo(ad, 0);
        BinaryPrimitives.WriteUInt32BigEndian(ad.AsSpan(context.Length), chunk);
        ad[^1] = final ? (byte)1 : (byte)0;
        return ad;
    }

    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) =>
        (origin == SeekOrigin.Begin && offset == _plain) || (origin != SeekOrigin.Begin && offset == 0) ? _plain
        : throw new NotSupportedException("An encrypting store stream is written strictly in order.");
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aes.Dispose();
            _sha.Dispose();
            CryptographicOperations.ZeroMemory(_buffer);
        }
        base.Dispose(disposing);
    }
}

/// <summary>Reads an encrypted store file back: checks its SHA-256, then decrypts and authenticates every chunk.</summary>
internal static class EncryptedFile
{
    /// <summary>The plaintext of <paramref name="path"/>, or a <see cref="StoreException"/> naming the file and what is wrong.</summary>
    public static MemoryStream Decrypt(string path, StoreKey key, string context, string expectedSha256)
    {
        if (!File.Exists(path)) throw new StoreException($"The stored share file '{path}' is missing.");
        byte[] bytes = File.ReadAllBytes(path);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (sha != expectedSha256)
            throw new StoreException($"The stored share file '{path}' has SHA-256 {sha}, but {expectedSha256} was recorded when it was written: the file was changed or damaged; refusing to load it (restore it from a backup or have the dataset contributed again).");
        if (bytes.Length < 16 || !bytes.AsSpan(0, 8).SequenceEqual(EncryptingStream.Magic))
            throw new StoreException($"The stored share file '{path}' is not an encrypted store file.");
        var prefix = bytes[8..16];
        var ad = Encoding.UTF8.GetBytes(context);
        using var aes = key.Cipher();
        var plain = new MemoryStream();
        int at = 16;
        uint chunk = 0;
        while (true)
        {
            if (at + 4 > bytes.Length) throw new StoreException($"The stored share file '{path}' ends inside chunk {chunk}: it is truncated.");
            int n = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at));
            if (n > EncryptingStream.ChunkSize || at + 4 + n + 16 > bytes.Length) throw new StoreException($"The stored share file '{path}' has a damaged chunk {chunk}.");
            var output = new byte[n];
            bool final = at + 4 + n + 16 == bytes.Length;
            try { aes.Decrypt(EncryptingStream.Nonce(prefix, chunk), bytes.AsSpan(at + 4, n), bytes.AsSpan(at + 4 + n, 16), output, EncryptingStream.Associated(ad, chunk, final)); }
            catch (AuthenticationTagMismatchException)
            {
                throw new StoreException($"The stored share file '{path}' does not decrypt with this party's store key (chunk {chunk} fails authentication): it was changed, cut, moved from another dataset, or the key is not the one it was written with.");
            }
            plain.Write(output);
            at += 4 + n + 16;
            chunk++;
            if (final) break;
        }
        plain.Position = 0;
        return plain;
    }
}
