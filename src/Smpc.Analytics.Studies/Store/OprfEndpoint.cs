// A compute party's OPRF evaluation endpoint on an upload connection (threshold 2HashDH, see ClusterOprfService and
// OprfPseudonymiser): the contributor sends blinded points, the party applies its key share k_i (X25519(k_i, ·)) and
// sends them back; the contributor carries them to the next party (UploadOprfClient), so the key is applied by all
// three in turn and only the contributor, who knows the blinding, can unblind.
// Who may ask: only a contributor of this study (the upload listener admits no one else: UploadTls), only during an
// upload it began on this connection, and only as many points as that upload's allowance: rows × keys plus a margin
// for the contributor's check points (Allowance). The allowance is declared before the first point and the party
// checks at 'end' that the rows it staged are the rows declared, so a contributor cannot pseudonymise more identifiers
// than it contributes (no dictionary oracle for identifiers it does not hold).
// The study's choice is enforced here too: in a study whose study.json says "pseudonymiser": "oprf" an upload's
// pseudonym columns must be of the OPRF's scheme and evaluated through this endpoint; in a keyed-hash study no
// evaluation is granted. Datasets pseudonymised under different schemes would silently not link.
// The key share is the party's own, kept in its store (PartyStore.OprfKey), the same after a restart.
// Leakage to the party: per request the number of points, and the points themselves — uniform elements of the
// prime-order subgroup (blinded by the contributor's fresh r, then the earlier parties' shares), independent of the
// identifiers; never an identifier, its hash to the curve, the OPRF output or the pseudonym.
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Linkage;

namespace Smpc.Analytics.Studies.Store;

/// <summary>One upload connection's OPRF allowance and evaluations at one party.</summary>
internal sealed class OprfEndpoint(Func<OprfKeyShare> key, int partyId, string study, bool studyUsesOprf)
{
    /// <summary>At a party service: the key share kept in the party's store.</summary>
    public OprfEndpoint(PartyStore store, string study, bool studyUsesOprf) : this(() => store.OprfKey(study), store.PartyId, study, studyUsesOprf) { }

    /// <summary>The most linkage keys an upload prepares per row (social security number; name, date of birth and
    /// sex; name and date of birth).</summary>
    public const int MaxKeys = 3;

    long _allowed, _used;

    /// <summary>The upload the allowance is for (null: none granted on this connection).</summary>
    public string? UploadId { get; private set; }

    /// <summary>The rows declared for the allowance.</summary>
    public long Rows { get; private set; }

    /// <summary>Points evaluated so far on this connection.</summary>
    public long Used => _used;

    /// <summary>Evaluations an upload of <paramref name="rows"/> rows and <paramref name="keys"/> keys may ask for:
    /// one per row and key, plus an eighth more and 64 for the check points (UploadOprfClient stays within it).</summary>
    public static long Allowance(long rows, int keys) => rows * keys + rows * keys / 8 + 64;

    /// <summary>Grants the allowance of the upload begun on this connection; answers with this party's public key.</summary>
    public UploadMessage Grant(UploadMessage m, StagedUpload? upload)
    {
        if (!studyUsesOprf) throw new StoreException($"study '{study}' pseudonymises with the contributors' keyed hash (its study.json names no \"pseudonymiser\": \"oprf\"); this party evaluates no OPRF for it");
        if (upload is null) throw new InvalidDataException("'oprf' outside an upload: begin the upload first");
        if (m.UploadId != upload.UploadId || m.Dataset != upload.Dataset)
            throw new InvalidDataException($"'oprf' names upload {m.UploadId} of '{m.Dataset}', but this connection uploads {upload.UploadId} of '{upload.Dataset}'");
        if (UploadId is not null) throw new InvalidDataException("the OPRF allowance of this upload was granted already");
        long rows = m.Rows ?? throw new InvalidDataException("the message lacks 'rows'");
        int keys = m.Keys ?? throw new InvalidDataException("the message lacks 'keys'");
        if (rows < 0 || keys is < 1 or > MaxKeys) throw new InvalidDataException($"an OPRF allowance for {rows} rows and {keys} keys (1 to {MaxKeys} keys, rows ≥ 0)");
        var share = key();
        UploadId = upload.UploadId;
        Rows = rows;
        _allowed = Allowance(rows, keys);
        return new UploadMessage("oprf") { PublicKey = Convert.ToHexStringLower(share.PublicKey(X25519Backend.Default)), Evaluations = _allowed };
    }

    /// <summary>At 'begin': the upload's pseudonym columns are of the study's scheme (their descriptions name it).</summary>
    public void CheckScheme(TableSchema schema)
    {
        string expected = studyUsesOprf ? OprfPseudonymiser.SchemeName : KeyedHashPseudonymiser.SchemeName;
        foreach (var c in schema.Columns.Where(c => c.Kind == ColumnKind.Pseudonym))
            if (c.Description?.StartsWith(expected + " ", StringComparison.Ordinal) != true)
                throw new StoreException($"pseudonym column '{c.Name}' is '{c.Description}', but study '{study}' pseudonymises with {(studyUsesOprf ? "the parties' OPRF" : "the contributors' keyed hash")} ({expected}); " +
                    "the contributor's study.json differs from the parties' (\"pseudonymiser\")");
    }

    /// <summary>At 'end': in an OPRF study, an upload with pseudonym columns had its allowance granted here.</summary>
    public void CheckEvaluated(TableSchema schema)
    {
        if (studyUsesOprf && UploadId is null && schema.Columns.Any(c => c.Kind == ColumnKind.Pseudonym))
            throw new StoreException($"the upload has pseudonym columns but asked party {partyId} for no OPRF evaluation");
    }

    /// <summary>Applies this party's key share to each 32-byte point, within the allowance.</summary>
    public byte[] Evaluate(byte[] points)
    {
        if (UploadId is null) throw new InvalidDataException("OPRF points before an allowance ('oprf') was granted");
        if (points.Length % X25519Backend.Size != 0)
            throw new InvalidDataException($"OPRF points of {points.Length} bytes, not a whole number of 32-byte points");
        long n = points.Length / X25519Backend.Size;
        if (_used + n > _allowed)
            throw new StoreException($"the contributor asked for {n} more OPRF evaluations but has {_allowed - _used} left of the {_allowed} granted for {Rows} rows");
        _used += n;
        return key().Apply(X25519Backend.Default, points);
    }
}
