using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Studies.Parties;

/// <summary>
/// The engine slot of a connected study (<see cref="SecureStudy.Connect(string, Transport.StudyCredentials, TimeSpan?)"/>):
/// the analyst's process holds no shares, so every engine operation is refused with that reason. The party services
/// compute; the study sends them joins and aggregates.
/// </summary>
/// <param name="parties">The embedded default's parties, whose reveal log and traffic this engine shows (null: remote parties).</param>
internal sealed class ConnectedEngine(InProcessParties? parties = null) : IComputeEngine
{
    public string Name => parties is not null
        ? "three compute party services in this process (in-memory links, study-level requests)"
        : "three compute party services over TLS (study-level requests)";

    /// <summary>A contributed dataset as the analyst's catalogue lists it (names, kinds, row count): columns whose
    /// values are held by the parties, so any attempt to compute on them here fails.</summary>
    public SecretTable Catalogue(string name, TableSchema payload, int rows) => new(name, this, [.. payload.Columns.Select(spec =>
        spec.Kind == ColumnKind.Categorical
            ? new SecretColumn(spec, rows, () => throw NoShares())
            : new SecretColumn(spec, new HeldByParties(rows)))]);

    sealed class HeldByParties(int length) : SecretVector
    {
        public override int Length => length;
    }
    public bool IsSecure => true;

    static InvalidOperationException NoShares() =>
        new("A study connected to party services holds no shares in the analyst's process: the parties compute. Use Join and the aggregates (Count, Mean, Query(…)).");

    public SecretVector Share(ReadOnlySpan<ulong> values) => throw NoShares();
    public SecretVector Public(ReadOnlySpan<ulong> values) => throw NoShares();
    public SecretVector Add(SecretVector x, SecretVector y) => throw NoShares();
    public SecretVector Subtract(SecretVector x, SecretVector y) => throw NoShares();
    public SecretVector AddPublic(SecretVector x, ulong c) => throw NoShares();
    public SecretVector MultiplyPublic(SecretVector x, ulong c) => throw NoShares();
    public SecretVector Multiply(SecretVector x, SecretVector y) => throw NoShares();
    public SecretVector Truncate(SecretVector x, int bits) => throw NoShares();
    public SecretVector Sum(SecretVector x) => throw NoShares();
    public SecretVector Dot(IReadOnlyList<(SecretVector X, SecretVector Y)> pairs) => throw NoShares();
    public SecretVector Gather(SecretVector x, ReadOnlySpan<int> rows) => throw NoShares();
    public SecretVector Concat(IReadOnlyList<SecretVector> parts) => throw NoShares();
    public SecretBits LessThan(SecretVector x, SecretVector y) => throw NoShares();
    public SecretBits LessThan(SecretVector x, ulong c) => throw NoShares();
    public SecretBits GreaterThan(SecretVector x, ulong c) => throw NoShares();
    public SecretBits Equal(SecretVector x, SecretVector y) => throw NoShares();
    public SecretBits Equal(SecretVector x, ulong c) => throw NoShares();
    public SecretBits And(SecretBits x, SecretBits y) => throw NoShares();
    public SecretBits Or(SecretBits x, SecretBits y) => throw NoShares();
    public SecretBits Xor(SecretBits x, SecretBits y) => throw NoShares();
    public SecretBits Not(SecretBits x) => throw NoShares();
    public SecretVector ToArithmetic(SecretBits bits) => throw NoShares();
    public SecretBits BitsOf(SecretVector words) => throw NoShares();
    public IReadOnlyList<SecretVector> Shuffle(IReadOnlyList<SecretVector> columns) => throw NoShares();
    public ulong[] Reveal(SecretVector x, string purpose = "release") => throw NoShares();
    public bool[] Reveal(SecretBits x, string purpose = "release") => throw NoShares();
    public ulong[] RevealToParties(SecretVector x, string purpose) => throw NoShares();
    public bool[] RevealToParties(SecretBits x, string purpose) => throw NoShares();
    /// <summary>Remote parties: empty (their costs come with each release). Embedded: what the parties opened.</summary>
    public IReadOnlyList<RevealRecord> Reveals => parties?.Reveals ?? [];
    public IReadOnlyList<TrafficSnapshot> Traffic => parties?.Traffic ?? [];
    public void Dispose() { }
}
