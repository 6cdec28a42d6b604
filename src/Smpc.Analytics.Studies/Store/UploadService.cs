// A compute party's upload service: one TLS listener per study (on the party's upload port in that study's config),
// admitting only that study's contributors, staging and committing their uploads in the party's store.
// Isolation: each listener trusts only its own study's CA and writes only under its study's folder, so a contributor
// of one study can neither write nor read another's (and no request reads shares back at all).
// Leakage to the party: what UploadProtocol lists. Logs: StoreLog (counts and names only).
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Columnar.Ipc;
using Smpc.Analytics.Session;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Studies.Store;

/// <summary>Serves contributors' uploads into a <see cref="PartyStore"/> for every study it was given.</summary>
public sealed class UploadService : IDisposable
{
    readonly PartyStore _store;
    readonly StoreLog _log;
    readonly List<(string Study, TcpListener Listener, StudyCredentials Credentials, Thread Thread)> _listeners = [];
    readonly List<FileStream> _locks = [];
    readonly ConcurrentDictionary<(string, string), string> _active = new();
    readonly ConcurrentDictionary<string, bool> _oprfStudies = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<Task, byte> _handlers = new();
    readonly ConcurrentDictionary<UploadPeer, byte> _peers = new();
    readonly CancellationTokenSource _stop = new();

    public UploadService(PartyStore store, StoreLog log)
    {
        _store = store;
        _log = log;
    }

    /// <summary>How long a connection may stay silent before the service drops it (and aborts its unfinished upload).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Sees every frame this party receives, as received after TLS (kind, payload): the transcript tests' tap.</summary>
    internal Action<byte, byte[]>? Received { get; init; }

    /// <summary>A dishonest party's deviation, for the tests of the contributor's checks: replaces this party's answers
    /// to OPRF points (null: the honest answer).</summary>
    internal Func<byte[], byte[]>? OprfDeviation { get; init; }

    /// <summary>The studies served and the port each listens on.</summary>
    public IReadOnlyList<(string Study, int Port)> Listeners { get { lock (_listeners) return [.. _listeners.Select(l => (l.Study, ((IPEndPoint)l.Listener.LocalEndpoint).Port))]; } }

    /// <summary>Opens the study in the store and starts accepting its contributors on this party's upload port
    /// (<paramref name="port"/> overrides it; 0 picks a free port). Takes ownership of <paramref name="credentials"/>.</summary>
    public void Serve(StudyConfig config, StudyCredentials credentials, string? configPath = null, int? port = null)
    {
        lock (_listeners)
            if (_listeners.Any(l => l.Study == config.Study)) throw new StoreException($"Study '{config.Study}' is served twice (two --config files name it).");
        _store.Open(config, credentials, configPath);
        _oprfStudies[config.Study] = config.Pseudonymiser == "oprf";
        var lockPath = Path.Combine(_store.Directory, config.Study, "service.lock");
        FileStream serviceLock;
        try { serviceLock = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
        catch (IOException e)
        {
            throw new StoreException($"Another party service already serves study '{config.Study}' from the store '{_store.Directory}' ('{lockPath}' is locked); one service per store and study.", e);
        }
        lock (_listeners) _locks.Add(serviceLock);
        var endpoint = config.UploadEndPoint(_store.PartyId);
        var bind = IPAddress.IsLoopback(endpoint.Address) ? endpoint.Address : IPAddress.Any;
        var listener = new TcpListener(bind, port ?? endpoint.Port);
        try { listener.Start(); }
        catch (SocketException e)
        {
            throw new StoreException($"Party {_store.PartyId} cannot listen for study '{config.Study}' uploads on {bind}:{port ?? endpoint.Port} ({e.SocketErrorCode}); is the port in use (two studies on one upload port)?", e);
        }
        var thread = new Thread(() => AcceptLoop(config.Study, listener, credentials)) { IsBackground = true, Name = $"uploads {config.Study}" };
        lock (_listeners) _listeners.Add((config.Study, listener, credentials, thread));
        thread.Start();
        _log.Info("study-opened", study: config.Study, rows: null, message: $"{_store.Datasets(config.Study).Count} datasets; uploads on port {((IPEndPoint)listener.LocalEndpoint).Port}");
    }

    void AcceptLoop(string study, TcpListener listener, StudyCredentials credentials)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = listener.AcceptTcpClient(); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException) { return; }
            var task = Task.Run(() => Handle(study, client, credentials));
            _handlers.TryAdd(task, 0);
            task.ContinueWith(t => _handlers.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    void Handle(string study, TcpClient client, StudyCredentials credentials)
    {
        var peer = UploadTls.Accept(client, credentials, TimeSpan.FromSeconds(15), out var refusal);
        if (peer is null)
        {
            _log.Warn("connection-refused", study: study, message: refusal);
            return;
        }
        _peers.TryAdd(peer, 0);
        using (peer)
        {
            string contributor = peer.Member.Contributor!;
            StagingWriter? staging = null;
            StagedUpload? upload = null;
            TableSchema? schema = null;
            (string, string)? claimed = null;
            var oprf = new OprfEndpoint(_store, study, _oprfStudies.GetValueOrDefault(study));
            try
            {
                peer.Stream.ReadTimeout = (int)IdleTimeout.TotalMilliseconds;
                var s = peer.Stream;
                UploadProtocol.Send(s, new UploadMessage("hello") { Party = _store.PartyId, Study = study });
                while (!_stop.IsCancellationRequested)
                {
                    var frame = UploadProtocol.Receive(s);
                    if (frame is null) break;
                    Received?.Invoke(frame.Value.Kind, frame.Value.Payload);
                    if (frame.Value.Kind == UploadProtocol.Points)
                    {
                        var answer = oprf.Evaluate(frame.Value.Payload);
                        UploadProtocol.Send(s, UploadProtocol.Points, OprfDeviation?.Invoke(answer) ?? answer);
                        continue;
                    }
                    if (frame.Value.Kind == UploadProtocol.Batch)
                    {
                        if (staging is null || upload is null) throw new InvalidDataException("a batch arrived outside an upload");
                        using var ms = new MemoryStream(frame.Value.Payload, writable: false);
                        var batch = ShareFileReader.Read(ms, $"a batch of upload {upload.UploadId} from {peer.Member}", new ShareFileExpectation
                        {
                            PartyId = _store.PartyId, Study = study, Dataset = upload.Dataset, UploadId = upload.UploadId, Schema = schema,
                        });
                        staging.Write(batch.Table);
                        continue;
                    }
                    var m = UploadProtocol.Parse(frame.Value.Payload);
                    switch (m.Type)
                    {
                        case "status":
                        {
                            var reply = Status(study, Required(m.Dataset, "dataset"), Required(m.UploadId, "uploadId"));
                            UploadProtocol.Send(s, reply);
                            break;
                        }
                        case "begin":
                        {
                            var dataset = Required(m.Dataset, "dataset");
                            PartyStore.CheckName(dataset, "dataset");
                            var uploadId = Required(m.UploadId, "uploadId");
                            if (_store.Find(study, dataset) is { } existing && existing.UploadId != uploadId)
                                throw new StoreException($"dataset '{dataset}' of study '{study}' already holds another upload ({existing.UploadId}, {existing.Rows} rows, file SHA-256 {existing.FileSha256}); a different file is not merged into it");
                            var key = (study, dataset);
                            if (!_active.TryAdd(key, uploadId)) throw new StoreException($"another upload of dataset '{dataset}' is in progress at party {_store.PartyId}");
                            claimed = key;
                            schema = Required(m.Schema, "schema").Validate();
                            oprf.CheckScheme(schema);
                            upload = new StagedUpload(study, dataset, uploadId, Required(m.SharingId, "sharingId"), Required(m.FileSha256, "fileSha256"),
                                Required(m.SchemaSha256, "schemaSha256"), Required(m.TermsSha256, "termsSha256"), 0, 0, "", contributor);
                            var header = new ShareFileHeader
                            {
                                Study = study, Dataset = dataset, PartyId = _store.PartyId, UploadId = uploadId, Schema = schema, PresenceColumns = m.Presence ?? [],
                                CodedColumns = ContributorEncoder.StoredCodes(schema),   // the store takes categorical columns only as codes (compact)
                            };
                            staging = _store.BeginStage(upload, header);
                            _store.StageTerms(upload, Required(m.TermsJson, "termsJson"));
                            _log.Info("upload-started", study, dataset, upload: uploadId, contributor: contributor);
                            UploadProtocol.Send(s, new UploadMessage("ready"));
                            break;
                        }
                        case "oprf":
                        {
                            var granted = oprf.Grant(m, upload);
                            _log.Info("oprf-granted", study, upload!.Dataset, oprf.Rows, upload: upload.UploadId, contributor: contributor, message: $"{granted.Evaluations} evaluations");
                            UploadProtocol.Send(s, granted);
                            break;
                        }
                        case "end":
                        {
                            if (staging is null || upload is null) throw new InvalidDataException("'end' outside an upload");
                            if (m.Rows != staging.Rows) throw new StoreException($"the contributor announced {m.Rows} rows but party {_store.PartyId} received {staging.Rows}");
                            oprf.CheckEvaluated(schema!);
                            if (oprf.UploadId is not null && oprf.Rows != staging.Rows)
                                throw new StoreException($"the contributor was granted OPRF evaluations for {oprf.Rows} rows but party {_store.PartyId} received {staging.Rows}");
                            if (oprf.UploadId is not null) _log.Info("oprf-used", study, upload.Dataset, upload: upload.UploadId, contributor: contributor, message: $"{oprf.Used} OPRF evaluations");
                            var staged = staging.Complete();
                            staging.Dispose();
                            staging = null;
                            _log.Info("upload-staged", study, staged.Dataset, staged.Rows, staged.StoredBytes, staged.UploadId, contributor);
                            UploadProtocol.Send(s, new UploadMessage("staged") { Rows = staged.Rows, StoredBytes = staged.StoredBytes });
                            break;
                        }
                        case "commit":
                        {
                            var record = _store.Commit(study, Required(m.UploadId, "uploadId"), Required(m.SharingId, "sharingId"));
                            Release(ref claimed);
                            upload = null;
                            _log.Info("upload-committed", study, record.Dataset, record.Rows, record.StoredBytes, record.UploadId, contributor);
                            UploadProtocol.Send(s, new UploadMessage("committed") { Receipt = record.Receipt() });
                            break;
                        }
                        case "abort":
                        {
                            var uploadId = Required(m.UploadId, "uploadId");
                            staging?.Dispose();
                            staging = null;
                            _store.Abort(study, uploadId);
                            Release(ref claimed);
                            upload = null;
                            _log.Info("upload-aborted", study, upload: uploadId, contributor: contributor);
                            UploadProtocol.Send(s, new UploadMessage("aborted"));
                            break;
                        }
                        default:
                            throw new InvalidDataException($"unknown message type '{m.Type}'");
                    }
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // One connection's failure never stops the service; the contributor is told, the log keeps the reason.
                if (e is IOException or InvalidDataException or SmpcException or ObjectDisposedException or CryptographicException)
                    _log.Warn("upload-failed", study, upload?.Dataset, upload?.UploadId, contributor, e.Message);
                else
                    _log.Error("upload-failed", study, upload?.Dataset, upload?.UploadId, contributor,
                        $"{e.GetType().Name}: {e.Message} at {e.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");   // code location only, never data
                try { UploadProtocol.Send(peer.Stream, new UploadMessage("error") { Message = $"party {_store.PartyId}: {e.Message}" }); }
                catch (Exception x) when (x is IOException or ObjectDisposedException or NotSupportedException) { /* the connection is gone */ }
            }
            finally
            {
                if (staging is not null)
                {
                    staging.Dispose();   // an unfinished upload leaves nothing behind (its staged terms included)
                    if (upload is not null) try { _store.Abort(study, upload.UploadId); } catch (Exception x) when (x is IOException or StoreException) { /* logged below */ }
                    _log.Info("upload-abandoned", study, upload?.Dataset, upload: upload?.UploadId, contributor: contributor);
                }
                Release(ref claimed);
                _peers.TryRemove(peer, out _);
            }
        }
    }

    UploadMessage Status(string study, string dataset, string uploadId)
    {
        PartyStore.CheckName(dataset, "dataset");
        if (_store.Find(study, dataset) is { } done && done.UploadId == uploadId)
            return new UploadMessage("status") { State = "committed", SharingId = done.SharingId, Receipt = done.Receipt() };
        if (_store.Staged(study, uploadId) is { } staged)
            return new UploadMessage("status") { State = "staged", SharingId = staged.SharingId, Rows = staged.Rows };
        return new UploadMessage("status") { State = "none" };
    }

    void Release(ref (string, string)? claimed)
    {
        if (claimed is { } key) _active.TryRemove(key, out _);
        claimed = null;
    }

    static T Required<T>(T? value, string field) where T : class =>
        value ?? throw new InvalidDataException($"the message lacks '{field}'");

    public void Dispose()
    {
        _stop.Cancel();
        lock (_listeners)
        {
            foreach (var l in _listeners) l.Listener.Stop();
            foreach (var l in _listeners) l.Thread.Join(TimeSpan.FromSeconds(5));
        }
        foreach (var p in _peers.Keys) p.Dispose();   // unblocks handlers waiting on a contributor
        Task.WaitAll([.. _handlers.Keys], TimeSpan.FromSeconds(5));
        lock (_listeners)
        {
            foreach (var l in _listeners) l.Credentials.Dispose();
            _listeners.Clear();
            foreach (var f in _locks) f.Dispose();
            _locks.Clear();
        }
    }
}
