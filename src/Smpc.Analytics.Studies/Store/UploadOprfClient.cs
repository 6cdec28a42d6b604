// The contributor's side of the threshold OPRF at upload (2HashDH, key k = k_0·k_1·k_2 split multiplicatively across
// the three parties; see OprfPseudonymiser for blinding and unblinding). The blinded points r·H1(x) of one batch go to
// party 0 over its upload connection, its answer to party 1, that answer to party 2; the contributor unblinds the
// last answer. Each party sees only points blinded by the contributor's fresh r (and the earlier parties' shares).
// Check (what is verified): every request to party i carries, at random positions, check points t·G (G the base point,
// t a fresh random scalar) among the real points; for these the contributor knows the right answer X25519(t, K_i),
// where K_i = X25519(k_i, G) is the public key party i announced for its share. Check points and real points are
// both uniform in the prime-order subgroup, so a party cannot tell them apart (decisional Diffie–Hellman): a party
// that applies another key than the one it announced — a substituted share, answers not computed with its share —
// fails every check point, and one that corrupts a fraction f of a request's points goes unnoticed with probability about
// (1 − f)^m for m check points (m = n/32 clamped to 2..64 per chunk of n ≤ 4,096 points). Not verified: that K_i is the share the party used for
// earlier uploads (the store keeps the share durably and refuses to replace it; the public keys are reported in the
// upload's result for the steward to compare across uploads).
// Cost per point: the parties' one X25519 each; per check point two X25519 at the contributor and one at the party.
// A batch's points go in chunks of 4,096 through the chain as a pipeline (one thread per party connection), so the
// parties work at the same time on different chunks; each chunk carries its own check points.
using System.Security.Cryptography;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Linkage;

namespace Smpc.Analytics.Studies.Store;

/// <summary>The three parties' key shares applied in turn over a contributor's upload connections, checked with
/// check points (see the file header).</summary>
internal sealed class UploadOprfClient : IOprfService
{
    readonly Func<byte[], byte[]>[] _exchange;
    readonly byte[][] _publicKeys;
    readonly X25519Backend _backend;
    readonly Action<string> _progress;
    readonly long _total;
    long _checkBudget, _evaluated;

    /// <param name="exchange">For each party: send points, return its answer.</param>
    /// <param name="publicKeys">Each party's announced public key K_i (32 bytes).</param>
    /// <param name="checkBudget">Check points each party's allowance leaves beyond the real points.</param>
    /// <param name="total">Real points the upload will evaluate (for progress).</param>
    public UploadOprfClient(Func<byte[], byte[]>[] exchange, byte[][] publicKeys, long checkBudget, long total, Action<string> progress, X25519Backend? backend = null)
    {
        if (exchange.Length != 3 || publicKeys.Length != 3) throw new ArgumentException("The OPRF runs at exactly three parties.");
        _exchange = exchange;
        _publicKeys = publicKeys;
        _checkBudget = checkBudget;
        _total = total;
        _progress = progress;
        _backend = backend ?? X25519Backend.Default;
    }

    public string Description => $"OPRF, the three parties' key shares applied in turn on the upload connections, checked with check points ({_backend.Name})";

    /// <summary>Asks each party for the upload's allowance (<see cref="OprfEndpoint.Grant"/>) and returns the pseudonymiser
    /// that evaluates the OPRF through them; <paramref name="shared"/>'s pseudonym columns give the keys per row.</summary>
    public static OprfPseudonymiser Pseudonymiser(Func<UploadMessage, UploadMessage>[] ask, Func<byte[], byte[]>[] exchange, string contributor,
        string dataset, string uploadId, long rows, TableSchema shared, Action<string> progress)
    {
        int keys = shared.Columns.Count(c => c.Kind == ColumnKind.Pseudonym);
        var publicKeys = new byte[3][];
        long allowance = OprfEndpoint.Allowance(rows, Math.Max(1, keys));
        for (int p = 0; p < 3; p++)
        {
            if (keys == 0) { publicKeys[p] = new byte[32]; continue; }   // nothing to pseudonymise: no allowance asked
            var granted = ask[p](new UploadMessage("oprf") { Dataset = dataset, UploadId = uploadId, Rows = rows, Keys = keys });
            if (granted.Evaluations is not { } e || e < rows * keys)
                throw new PeerFailureException(p, $"Party {p} granted {granted.Evaluations} OPRF evaluations for {rows} rows × {keys} keys.");
            allowance = Math.Min(allowance, e);
            try { publicKeys[p] = Convert.FromHexString(granted.PublicKey ?? ""); }
            catch (FormatException) { publicKeys[p] = []; }
            if (publicKeys[p].Length != 32) throw new PeerFailureException(p, $"Party {p} announced no valid OPRF public key.");
        }
        if (keys > 0) progress($"OPRF key shares' public keys: {string.Join(", ", publicKeys.Select((k, p) => $"party {p} {Convert.ToHexStringLower(k)[..16]}…"))}");
        var client = new UploadOprfClient(exchange, publicKeys, allowance - rows * keys, rows * keys, progress);
        return new OprfPseudonymiser(client, contributor);
    }

    /// <summary>Points per chunk: a batch's points travel the chain in chunks, as a pipeline (party 1 works on one
    /// chunk while party 0 works on the next), each chunk with its own check points.</summary>
    public const int ChunkPoints = 4096;

    public byte[] Evaluate(string contributor, byte[] blinded)
    {
        const int size = X25519Backend.Size;
        int n = blinded.Length / size, chunks = (n + ChunkPoints - 1) / ChunkPoints;
        var checks = new int[chunks];
        for (int c = 0; c < chunks; c++)
        {
            int points = Math.Min(ChunkPoints, n - c * ChunkPoints);
            checks[c] = (int)Math.Min(_checkBudget, Math.Clamp(points / 32, 2, 64));
            _checkBudget -= checks[c];
        }
        var output = new byte[blinded.Length];
        // One thread per party, each alone on its connection; chunk c passes party 0, 1, 2 in turn.
        var queues = Enumerable.Range(0, 3).Select(_ => new System.Collections.Concurrent.BlockingCollection<(int Chunk, byte[] Points)>(2)).ToArray();
        using var failed = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 3).Select(p => Task.Run(() =>
        {
            try
            {
                foreach (var (chunk, points) in queues[p].GetConsumingEnumerable(failed.Token))
                {
                    var answer = Hop(p, points, checks[chunk]);
                    if (p < 2) queues[p + 1].Add((chunk, answer), failed.Token);
                    else answer.CopyTo(output, chunk * ChunkPoints * size);
                }
            }
            catch (Exception) { failed.Cancel(); throw; }
            finally { if (p < 2) queues[p + 1].CompleteAdding(); }
        })).ToArray();
        try
        {
            for (int c = 0; c < chunks && !failed.IsCancellationRequested; c++)
                queues[0].Add((c, blinded.AsSpan(c * ChunkPoints * size, Math.Min(ChunkPoints, n - c * ChunkPoints) * size).ToArray()), failed.Token);
        }
        catch (OperationCanceledException) { /* a party failed: its error is thrown below */ }
        queues[0].CompleteAdding();
        try { Task.WaitAll(workers); }
        catch (AggregateException e)
        {
            throw e.InnerExceptions.FirstOrDefault(x => x is not OperationCanceledException) ?? e.InnerExceptions[0];
        }
        finally { foreach (var q in queues) q.Dispose(); }
        _evaluated += n;
        _progress($"OPRF: {_evaluated}/{_total} identifiers pseudonymised by the three parties ({checks.Sum()} check points per party in this batch, all correct)");
        return output;
    }

    /// <summary>One party's turn: the points with <paramref name="checks"/> check points mixed in, its answer checked.</summary>
    byte[] Hop(int party, byte[] input, int checks)
    {
        const int size = X25519Backend.Size;
        int n = input.Length / size, total = n + checks;
        var isCheck = new bool[total];
        for (int placed = 0; placed < checks;)
        {
            int at = RandomNumberGenerator.GetInt32(total);
            if (!isCheck[at]) { isCheck[at] = true; placed++; }
        }
        var scalars = RandomNumberGenerator.GetBytes(checks * size);
        var request = new byte[total * size];
        var expected = new byte[checks][];
        for (int i = 0, real = 0, check = 0; i < total; i++)
        {
            var slot = request.AsSpan(i * size, size);
            if (!isCheck[i]) { input.AsSpan(real++ * size, size).CopyTo(slot); continue; }
            var t = scalars.AsSpan(check * size, size);
            _backend.Multiply(t, OprfKeyShare.BasePoint).CopyTo(slot);
            expected[check++] = _backend.Multiply(t, _publicKeys[party]);
        }
        var answer = _exchange[party](request);
        if (answer.Length != request.Length)
            throw new PeerFailureException(party, $"Party {party} returned {answer.Length / size} OPRF points for {total}.");
        var output = new byte[n * size];
        int wrong = 0;
        for (int i = 0, real = 0, check = 0; i < total; i++)
        {
            var slot = answer.AsSpan(i * size, size);
            if (!isCheck[i]) slot.CopyTo(output.AsSpan(real++ * size));
            else if (!CryptographicOperations.FixedTimeEquals(slot, expected[check++])) wrong++;
        }
        if (wrong > 0)
            throw new PeerFailureException(party, $"Party {party}'s OPRF answer fails {wrong} of {checks} check points: it did not apply the key share whose public key it announced. " +
                "Nothing is committed; the party's operator must restore its store's OPRF key (oprf-key.bin) from a backup.");
        return output;
    }
}
