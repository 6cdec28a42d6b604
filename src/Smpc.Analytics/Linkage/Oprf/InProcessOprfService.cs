namespace Smpc.Analytics.Linkage;

/// <summary>
/// The three key shares applied in turn in this process without a network: for the plaintext reference engine
/// and unit tests. Same function as <see cref="ClusterOprfService"/>.
/// </summary>
public sealed class InProcessOprfService(IReadOnlyList<OprfKeyShare> shares, X25519Backend? backend = null) : OprfService(shares, backend)
{
    public override string Description => $"OPRF, three key shares in process ({Backend.Name})";

    protected override byte[] EvaluateCore(byte[] blinded)
    {
        var value = blinded;
        foreach (var share in Shares) value = share.Apply(Backend, value);
        return value;
    }
}
