// Record-level Bloom filters of identifiers for fuzzy record linkage (privacy-preserving record linkage, PPRL).
//
// What: each record's identifier fields are normalised and cut into tokens (BloomSpec); every token t of field f sets
// k_f positions p_i = PRF_K(f ‖ t ‖ i) mod m of one m-bit filter (random hashing: positions independent across
// tokens and fields, unlike double hashing, which pattern-mining attacks exploit). PRF: HMAC-SHA256 under a key
// derived (HKDF-SHA256) from the contributors' long-term key and the study, so filters of different studies do not
// compare. Similar identifiers give filters with a high Dice coefficient 2|a∧b| / (|a| + |b|).
// References: Schnell, Bachteler, Reiher, "Privacy-preserving record linkage using Bloom filters" (BMC Med. Inform.
// 2009); Schnell et al., "A novel error-tolerant anonymous linking code" (2011, CLK); Niedermeyer et al.,
// "Cryptanalysis of basic Bloom filters used for PPRL" (J. Priv. Conf. 2014) for random hashing.
// Security: the filters are not a secure encoding on their own: a party holding filters in the clear can mine them
// for frequent patterns (notebook 03 shows it on field-level filters). In the secure mode the filters are only ever
// secret-shared; in the hashed mode a linkage unit sees them (LEAKAGE.md, "Fuzzy linkage").
using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Smpc.Analytics.Linkage.Bloom;

/// <summary>Encodes records' identifiers as keyed Bloom filters (<see cref="BloomSpec"/>); see the file header.</summary>
public sealed class BloomEncoder
{
    readonly BloomSpec _spec;
    readonly byte[] _key;

    /// <param name="longTermKey">The contributors' secret key (at least 16 bytes; never given to a compute party).</param>
    /// <param name="study">The study: filters of different studies do not compare.</param>
    public BloomEncoder(BloomSpec spec, ReadOnlySpan<byte> longTermKey, string study)
    {
        _spec = spec.Validate();
        if (longTermKey.Length < 16) throw new LinkageException("The Bloom filter key needs at least 16 bytes.");
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, longTermKey.ToArray(), 32, Encoding.UTF8.GetBytes(study), Encoding.UTF8.GetBytes("smpc bloom filter v1"));
    }

    public BloomSpec Spec => _spec;

    /// <summary>The filter of one record: <paramref name="fields"/> holds each field's raw value (by column), null when missing.</summary>
    public ulong[] Encode(IReadOnlyDictionary<string, string?> fields)
    {
        var filter = new ulong[_spec.Words];
        Span<byte> mac = stackalloc byte[32];
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        foreach (var field in _spec.Fields)
        {
            if (!fields.TryGetValue(field.Column, out var raw) || raw is null) continue;
            foreach (var token in Tokens(field.Kind, raw, field.Format))
            {
                // One HMAC gives eight 32-bit positions; a second block for weights above 8.
                for (int block = 0; block * 8 < field.HashesPerToken; block++)
                {
                    hmac.AppendData(Encoding.UTF8.GetBytes($"{field.Column}\u001f{token}\u001f{block}"));
                    hmac.GetHashAndReset(mac);
                    for (int i = 0; i < 8 && block * 8 + i < field.HashesPerToken; i++)
                    {
                        uint p = BinaryPrimitives.ReadUInt32LittleEndian(mac[(4 * i)..]) % (uint)_spec.Bits;
                        filter[p >> 6] |= 1UL << (int)(p & 63);
                    }
                }
            }
        }
        return filter;
    }

    /// <summary>The tokens of one field value after normalisation (empty when nothing usable is left).</summary>
    public static IReadOnlyList<string> Tokens(BloomFieldKind kind, string raw, string? format = null)
    {
        switch (kind)
        {
            case BloomFieldKind.Name:
                var name = Normalize.Surname(raw);   // all words joined, diacritics folded, upper case
                if (name is null) return [];
                var padded = "_" + name + "_";
                return Enumerable.Range(0, padded.Length - 1).Select(i => padded.Substring(i, 2)).Distinct().ToArray();
            case BloomFieldKind.DateOfBirth:
                if (Normalize.DateOfBirth(raw, format) is not { } d) return [];
                int lo = Math.Min(d.Day, d.Month), hi = Math.Max(d.Day, d.Month);
                return [$"y{d.Year}", $"m{d.Month}", $"d{d.Day}", $"p{lo}-{hi}"];
            default:
                var code = raw.Trim().ToUpperInvariant();
                if (code.Length == 0) return [];
                return code.Length >= 5 && code.All(char.IsAsciiDigit) ? [code, "z3:" + code[..3]] : [code];
        }
    }

    /// <summary>Dice coefficient 2|a∧b| / (|a| + |b|) of two filters (0 when both are empty).</summary>
    public static double Dice(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        if (a.Length != b.Length) throw new ArgumentException("Filters of different lengths do not compare.");
        int both = 0, ones = 0;
        for (int i = 0; i < a.Length; i++)
        {
            both += BitOperations.PopCount(a[i] & b[i]);
            ones += BitOperations.PopCount(a[i]) + BitOperations.PopCount(b[i]);
        }
        return ones == 0 ? 0 : 2.0 * both / ones;
    }
}
