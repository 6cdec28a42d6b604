namespace Smpc.Analytics.Linkage;

/// <summary>
/// The compute parties' side of the threshold OPRF: takes blinded curve points (32-byte u-coordinates) from one
/// contributor and returns them with the key applied — every party applies its key share in turn. The service sees
/// only blinded points (uniformly distributed group elements) and their number.
/// </summary>
public interface IOprfService
{
    /// <summary>Human-readable description (transport, X25519 implementation).</summary>
    string Description { get; }

    /// <summary>Applies the joint key to each 32-byte blinded element; counts against the contributor's allowance.</summary>
    byte[] Evaluate(string contributor, byte[] blinded);
}
