// The contributor's side of an upload: validate the whole file, pseudonymise identifiers, secret-share in batches
// and send each compute party only its own shares over mutual TLS, then commit at all three (UploadProtocol).
// Reference: replicated sharing (Araki et al., CCS 2016, §2); pseudonyms as LinkagePreparation (keyed hash:
// HMAC-SHA256 under the study's contributors' key from `smpc certs --contributors`, or, with "pseudonymiser": "oprf"
// in study.json, the threshold OPRF evaluated by the three parties on this upload's connections: UploadOprfClient).
// Idempotence: the upload id is SHA-256 over (dataset, file SHA-256, schema SHA-256, terms SHA-256), so a rerun of
// the same contribution finds it committed (same receipts) or completes it; a cut-off run leaves nothing
// committed, or leaves it staged everywhere and committed somewhere, which the rerun completes.
// Leakage to each party: its own shares (uniform), plus dataset name, schema, row count, batch sizes, file hash.
// Memory: a CSV file is validated and then shared chunk by chunk (UploadSource), bounded by the batch size; Arrow
// and Parquet files are read whole. Shares are built and sent per batch.
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Columnar.Ipc;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;
using Smpc.Governance.DataUse;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Studies.Store;

public static class DatasetUpload
{
    /// <summary>Contributes <paramref name="file"/> as <paramref name="dataset"/> to the study's three parties. Throws
    /// <see cref="DataValidationException"/> (file, line, column) before connecting when the file is invalid, and an
    /// <see cref="SmpcException"/> naming the party when a party fails; returns only when all three committed.</summary>
    /// <param name="pseudonymKey">The contributors' keyed-hash key; unused (may be null) when the study's pseudonymiser is the OPRF.</param>
    public static UploadResult Run(StudyConfig config, StudyCredentials contributor, string dataset, string file, TableSchema schema,
        DataUseTerms terms, byte[]? pseudonymKey, UploadOptions? options = null)
    {
        options ??= new UploadOptions();
        if (!contributor.Self.IsContributor) throw new SmpcException($"Uploads are made with a contributor's certificate, not with that of {contributor.Self}.");
        PartyStore.CheckName(dataset, "dataset");
        var progress = options.Progress ?? (_ => { });
        bool oprf = PseudonymiserKinds.Parse(config.Pseudonymiser ?? "keyed-hash") == PseudonymiserKind.Oprf;
        IPseudonymiser pseudonymiser = oprf ? new SchemeOnlyPseudonymiser(OprfPseudonymiser.SchemeName)
            : new KeyedHashPseudonymiser(pseudonymKey ?? throw new SmpcException($"Study '{config.Study}' pseudonymises with the contributors' keyed hash: the key (contributorKey in study.json, or --pseudonym-key) is needed."));

        // 1. The whole file, validated before anything is sent (every problem with file, line and column).
        progress($"validating {Path.GetFileName(file)} against schema '{schema.Name}'");
        int batch = options.BatchSize > 0 ? options.BatchSize : AutoBatch(schema, options.TargetBatchBytes);
        var source = UploadSource.Open(file, schema, terms, pseudonymiser, batch, progress);

        var fileSha = Sha256File(file);
        var schemaSha = Sha256(JsonSerializer.SerializeToUtf8Bytes(schema, TableSchema.Json));
        var termsBytes = JsonSerializer.SerializeToUtf8Bytes(terms, DataUseTerms.Json);
        var termsSha = Sha256(termsBytes);
        var uploadId = Sha256(Encoding.UTF8.GetBytes($"smpc-upload/v1\n{dataset}\n{fileSha}\n{schemaSha}\n{termsSha}"))[..32];
        long rows = source.Rows;
        progress($"{rows} rows valid; upload {uploadId}");

        // 2. Connect to the three parties and ask what they hold of this upload.
        var links = new PartyLink[3];
        try
        {
            try { Parallel.For(0, 3, p => links[p] = PartyLink.Open(config, contributor, p, options.Timeout)); }
            catch (AggregateException e) { throw e.InnerExceptions.OrderBy(x => (x as PeerFailureException)?.Peer ?? -1).First(); }
            var status = links.Select(l => l.Ask(new UploadMessage("status") { Dataset = dataset, UploadId = uploadId }, "status")).ToArray();
            if (status.All(s => s.State == "committed"))
            {
                progress("already committed at all three parties");
                return Result(dataset, uploadId, fileSha, rows, status.Select(s => s.Receipt!).ToArray(), already: true);
            }
            var committed = status.FirstOrDefault(s => s.State == "committed");
            if (committed is not null)
            {
                // The commit decision was taken in an earlier run: complete it where the upload is still staged.
                var missing = Enumerable.Range(0, 3).Where(p => status[p].State != "committed").ToArray();
                foreach (var p in missing)
                    if (status[p].State != "staged" || status[p].SharingId != committed.SharingId)
                        throw new SmpcException($"Upload {uploadId} of '{dataset}' is committed at some parties but party {p} holds neither it nor its staged copy; the parties' stores disagree (restore party {p}'s store from a backup).");
                progress($"completing the commit at part{(missing.Length == 1 ? "y" : "ies")} {string.Join(", ", missing)}");
                var receipts = status.Select(s => s.Receipt).ToArray();
                foreach (var p in missing)
                    receipts[p] = links[p].Ask(new UploadMessage("commit") { UploadId = uploadId, SharingId = committed.SharingId }, "committed").Receipt;
                return Result(dataset, uploadId, fileSha, rows, receipts!, already: false);
            }

            // 3. Stage a fresh sharing at all three (phase one).
            var sharingId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var presence = ContributorEncoder.StoredPresence(source.SharedSchema);
            try
            {
                foreach (var l in links)
                    l.Ask(new UploadMessage("begin")
                    {
                        Dataset = dataset, UploadId = uploadId, SharingId = sharingId, FileSha256 = fileSha, SchemaSha256 = schemaSha,
                        TermsSha256 = termsSha, TermsJson = Encoding.UTF8.GetString(termsBytes), Schema = source.SharedSchema, Presence = presence,
                    }, "ready");
                if (oprf) pseudonymiser = UploadOprfClient.Pseudonymiser(links.Select<PartyLink, Func<UploadMessage, UploadMessage>>(l => m => l.Ask(m, "oprf")).ToArray(),
                    links.Select<PartyLink, Func<byte[], byte[]>>(l => l.Exchange).ToArray(), contributor.Self.Contributor!, dataset, uploadId, rows, source.SharedSchema, progress);
                var header = new ShareFileHeader { Study = config.Study, Dataset = dataset, PartyId = 0, UploadId = uploadId, Schema = source.SharedSchema, PresenceColumns = presence, CodedColumns = ContributorEncoder.StoredCodes(source.SharedSchema) };
                long sent = 0;
                using var buffer = new MemoryStream();
                foreach (var data in source.Batches(pseudonymiser))
                {
                    var views = ContributorEncoder.ShareViews(dataset, ContributorEncoder.Encode(source.SharedSchema, data));
                    for (int p = 0; p < 3; p++) links[p].SendBatch(Frame(views[p], header.ForParty(p), buffer));
                    sent += data.RowCount;
                    progress($"shared {sent}/{rows} rows ({100.0 * sent / Math.Max(1, rows):0}%)");
                }
                if (sent != rows) throw new SmpcException($"'{Path.GetFileName(file)}' changed while it was being uploaded ({sent} rows read, {rows} validated); contribute it again.");
                foreach (var l in links)
                {
                    var staged = l.Ask(new UploadMessage("end") { Rows = rows }, "staged");
                    if (staged.Rows != rows) throw new SmpcException($"Party {l.Party} staged {staged.Rows} rows, not {rows}.");
                }
            }
            catch (Exception) when (AbortAll(links, uploadId)) { throw; }

            // 4. All three staged: commit (phase two).
            progress("staged at all three parties; committing");
            var final = links.Select(l => l.Ask(new UploadMessage("commit") { UploadId = uploadId, SharingId = sharingId }, "committed").Receipt!).ToArray();
            return Result(dataset, uploadId, fileSha, rows, final, already: false);
        }
        finally
        {
            foreach (var l in links) l?.Dispose();
        }
    }

    /// <summary>Rows whose shares at one party (two 8-byte components per vector, plus a row checksum) take about
    /// <paramref name="bytes"/>; linkage keys counted as three more vectors at most.</summary>
    internal static int AutoBatch(TableSchema schema, int bytes)
    {
        long vectors = 3 + schema.Columns.Sum(c => c.Kind == ColumnKind.Categorical ? 1 : 1 + (c.Nullable ? 1 : 0));
        return (int)Math.Clamp(bytes / (16 * vectors + 8), 256, 1 << 16);
    }

    /// <summary>Best effort: tells every reachable party to drop the staged upload. Always false (used as an exception filter).</summary>
    static bool AbortAll(PartyLink?[] links, string uploadId)
    {
        foreach (var l in links)
        {
            if (l is null) continue;
            try { l.Ask(new UploadMessage("abort") { UploadId = uploadId }, "aborted"); }
            catch (SmpcException) { /* that party is gone; its unfinished staging is discarded when its connection drops */ }
        }
        return false;
    }

    static UploadResult Result(string dataset, string uploadId, string fileSha, long rows, IReadOnlyList<StoreReceipt> receipts, bool already)
    {
        foreach (var r in receipts)
            if (r.Rows != rows || r.FileSha256 != fileSha || r.UploadId != uploadId)
                throw new SmpcException($"Party {r.PartyId}'s receipt ({r.Rows} rows, file {r.FileSha256}, upload {r.UploadId}) does not match the contribution ({rows} rows, file {fileSha}, upload {uploadId}).");
        return new UploadResult(dataset, uploadId, fileSha, rows, receipts, already);
    }

    /// <summary>The shared table: analysis columns plus one pseudonym column per linkage key the schema's identifiers and
    /// the terms allow (identifiers themselves never leave the contributor).</summary>
    internal static PreparedTable Prepare(DatasetContents contents, DataUseTerms terms, byte[] pseudonymKey, Action<string> progress) =>
        Prepare(contents, terms, new KeyedHashPseudonymiser(pseudonymKey), progress);

    /// <summary>As above, pseudonymising with <paramref name="hash"/> (keyed hash, or the parties' OPRF).</summary>
    internal static PreparedTable Prepare(DatasetContents contents, DataUseTerms terms, IPseudonymiser hash, Action<string> progress)
    {
        var schema = contents.Schema;
        var payload = schema with { Identifiers = [], Fuzzy = null };
        var raw = new PlainTable(schema.Name);
        foreach (var c in contents.Analysis.ColumnNames) raw.Add(c, contents.Analysis[c]);
        foreach (var c in contents.Identifiers.ColumnNames) raw.Add(c, contents.Identifiers[c]);
        var data = new PlainTable(schema.Name);
        foreach (var c in payload.Columns) data.Add(c.Name, contents.Analysis[c.Name]);
        var specs = payload.Columns.ToList();
        if (schema.Identifiers.Count > 0)
        {
            foreach (var kind in new[] { LinkageKeyKind.Ssn, LinkageKeyKind.NameDateOfBirthSex, LinkageKeyKind.NameDateOfBirth })
            {
                LinkageKey key;
                try { key = LinkageKeyKinds.Key(kind, schema); }
                catch (LinkageException) { continue; }   // the identifiers do not support this key
                var keyRaw = new PlainTable(schema.Name);
                foreach (var c in raw.ColumnNames.Where(c => payload.Has(c) || key.Sources.Contains(c))) keyRaw.Add(c, raw[c]);
                try
                {
                    var prepared = LinkagePreparation.Prepare(keyRaw, payload, [key], hash, terms.LinkageRules());
                    data.Add(key.Name, prepared.Data[key.Name]);
                    specs.Add(prepared.Schema.Column(key.Name));
                    progress($"pseudonymised linkage key '{kind.Name()}' as column '{key.Name}' ({prepared.Quality[0].Missing} rows without a usable key)");
                }
                catch (LinkageException e) { progress($"linkage key '{kind.Name()}' not prepared: {e.Message}"); }
            }
        }
        if (schema.Fuzzy is { } fuzzy)
        {
            // The declared fuzzy encoding, keyed by keys derived from the contributors' study key (the keyed hash's): the OPRF
            // leaves the contributors no shared key to key filters with.
            if (hash.Scheme != KeyedHashPseudonymiser.SchemeName)
                progress($"fuzzy encoding not prepared: it is keyed by the contributors' study key, which uploads pseudonymised with {hash.Scheme} do not use");
            else
            {
                var keyed = hash as KeyedHashPseudonymiser;
                var (fuzzySpecs, fuzzyData) = Linkage.Bloom.FuzzyPreparation.Prepare(schema, fuzzy, contents.Identifiers,
                    keyed is null ? null : Linkage.Bloom.FuzzyPreparation.Encoder(fuzzy, keyed.DeriveKey("fuzzy filter")),
                    keyed is null ? null : new KeyedHashPseudonymiser(keyed.DeriveKey("fuzzy blocks")), terms.LinkageRules());
                foreach (var c in fuzzySpecs) { data.Add(c.Name, fuzzyData[c.Name]); specs.Add(c); }
                progress($"fuzzy encoding prepared: {fuzzy.Describe()}, with three blocking keys");
            }
        }
        // The identifier declarations (names and kinds, never values) stay in the stored schema: the parties' join
        // finds each dataset's linkage keys from them.
        return new PreparedTable(new TableSchema { Name = schema.Name, Columns = specs, Description = schema.Description, Identifiers = schema.Identifiers, Fuzzy = schema.Fuzzy }, data, []);
    }

    /// <summary>One party's batch as a share file in memory (sent from its buffer, not copied out).</summary>
    static ArraySegment<byte> Frame(SharedTable view, ShareFileHeader header, MemoryStream buffer)
    {
        buffer.SetLength(0);
        using (var w = new ShareStreamWriter(buffer, header, $"the batch for party {header.PartyId}"))
        {
            w.Write(view);
            w.Finish();
        }
        return new ArraySegment<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    internal static string Sha256File(string path)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Convert.ToHexStringLower(SHA256.HashData(f));
    }

    static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>One party's upload connection; every failure becomes an error naming the party.</summary>
    sealed class PartyLink : IDisposable
    {
        readonly UploadPeer _peer;

        PartyLink(UploadPeer peer, int party)
        {
            _peer = peer;
            Party = party;
        }

        public int Party { get; }

        public static PartyLink Open(StudyConfig config, StudyCredentials contributor, int party, TimeSpan timeout)
        {
            var peer = UploadTls.Dial(contributor, party, config.UploadEndPoint(party), timeout);
            var link = new PartyLink(peer, party);
            peer.Stream.ReadTimeout = (int)timeout.TotalMilliseconds;
            try
            {
                var hello = UploadProtocol.ReceiveMessage(peer.Stream, $"party {party}");
                if (hello.Type != "hello" || hello.Party != party || hello.Study != config.Study)
                    throw new SmpcException($"Party {party}'s store service introduced itself as party {hello.Party} of study '{hello.Study}'.");
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                link.Dispose();
                throw new CertificateRefusedException($"Party {party}'s store service at {config.UploadEndPoint(party)} closed the connection before greeting: it most likely refused {contributor.Self}'s certificate (is it a contributor certificate of study '{config.Study}'?).", e);
            }
            return link;
        }

        public UploadMessage Ask(UploadMessage message, string expected)
        {
            try
            {
                UploadProtocol.Send(_peer.Stream, message);
                var answer = UploadProtocol.ReceiveMessage(_peer.Stream, $"party {Party}");
                if (answer.Type == "error") throw new PeerFailureException(Party, $"Party {Party} refused the upload: {answer.Message}");
                if (answer.Type != expected) throw new PeerFailureException(Party, $"Party {Party} answered '{answer.Type}' where '{expected}' was expected.");
                return answer;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ObjectDisposedException)
            {
                throw new PeerFailureException(Party, $"Party {Party} failed during the upload ({e.Message}); nothing is committed unless all three parties staged it.", e);
            }
        }

        /// <summary>Sends OPRF points and returns the party's answer (its key share applied).</summary>
        public byte[] Exchange(byte[] points)
        {
            try
            {
                UploadProtocol.Send(_peer.Stream, UploadProtocol.Points, points);
                var frame = UploadProtocol.Receive(_peer.Stream) ?? throw new IOException($"party {Party} closed the connection");
                if (frame.Kind == UploadProtocol.Points) return frame.Payload;
                var answer = frame.Kind == UploadProtocol.Json ? UploadProtocol.Parse(frame.Payload) : null;
                throw new PeerFailureException(Party, answer?.Type == "error" ? $"Party {Party} refused the OPRF evaluation: {answer.Message}"
                    : $"Party {Party} answered OPRF points with {(answer is null ? "a batch" : $"'{answer.Type}'")}.");
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ObjectDisposedException)
            {
                throw new PeerFailureException(Party, $"Party {Party} failed during the OPRF evaluation ({e.Message}); nothing is committed unless all three parties staged it.", e);
            }
        }

        public void SendBatch(ArraySegment<byte> frame)
        {
            try { UploadProtocol.Send(_peer.Stream, UploadProtocol.Batch, frame); }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                throw new PeerFailureException(Party, $"Party {Party} failed during the upload ({e.Message}); nothing was committed.", e);
            }
        }

        public void Dispose() => _peer.Dispose();
    }
}
