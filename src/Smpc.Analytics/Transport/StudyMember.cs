namespace Smpc.Analytics.Transport;

/// <summary>Who a study certificate belongs to: compute party 0, 1 or 2, or the analyst (coordinator).</summary>
public readonly record struct StudyMember
{
    StudyMember(int partyId) => PartyId = partyId;

    /// <summary>0..2 for a compute party, −1 for the analyst.</summary>
    public int PartyId { get; }

    public bool IsAnalyst => PartyId < 0;

    public static StudyMember Analyst { get; } = new(-1);

    public static StudyMember Party(int id) => (uint)id <= 2 ? new(id) : throw Errors.PartyId(id, nameof(id));

    /// <summary>The certificate's common name: "party-0", "party-1", "party-2" or "analyst".</summary>
    public string CommonName => IsAnalyst ? "analyst" : $"party-{PartyId}";

    /// <summary>How messages name the member: "party 1" or "the analyst".</summary>
    public override string ToString() => IsAnalyst ? "the analyst" : $"party {PartyId}";

    internal static StudyMember? FromCommonName(string? cn) => cn switch
    {
        "analyst" => Analyst,
        "party-0" => Party(0),
        "party-1" => Party(1),
        "party-2" => Party(2),
        _ => null,
    };
}

/// <summary>A peer presented a certificate that is not part of the study, or not the one expected.</summary>
public sealed class CertificateRefusedException : SmpcException
{
    public CertificateRefusedException(string message) : base(message) { }
    public CertificateRefusedException(string message, Exception inner) : base(message, inner) { }
}
