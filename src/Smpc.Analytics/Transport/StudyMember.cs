using System.Text.RegularExpressions;

namespace Smpc.Analytics.Transport;

/// <summary>Who a study certificate belongs to: compute party 0, 1 or 2, the analyst (coordinator), or a named
/// contributor (a data steward who uploads shares of its dataset to the parties and can do nothing else).</summary>
public readonly partial record struct StudyMember
{
    StudyMember(int partyId, string? contributor = null)
    {
        PartyId = partyId;
        Contributor = contributor;
    }

    /// <summary>0..2 for a compute party, −1 for the analyst, −2 for a contributor.</summary>
    public int PartyId { get; }

    /// <summary>The contributor's name (letters, digits, '.', '_', '-'), or null for a party or the analyst.</summary>
    public string? Contributor { get; }

    public bool IsAnalyst => PartyId == -1;

    public bool IsContributor => PartyId == -2;

    public bool IsParty => PartyId >= 0;

    public static StudyMember Analyst { get; } = new(-1);

    public static StudyMember Party(int id) => (uint)id <= 2 ? new(id) : throw Errors.PartyId(id, nameof(id));

    /// <summary>The contributor <paramref name="name"/> (checked: 1–48 letters, digits, '.', '_', '-').</summary>
    public static StudyMember ContributorNamed(string name)
    {
        CheckContributorName(name);
        return new(-2, name);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,47}$")]
    private static partial Regex ContributorName();

    /// <summary>Checks a contributor name (it becomes part of a certificate's common name and of file names).</summary>
    public static void CheckContributorName(string name)
    {
        if (name is null || !ContributorName().IsMatch(name))
            throw new SmpcException($"Contributor name '{name}' is not allowed: use 1–48 letters, digits, '.', '_' or '-', starting with a letter or digit.");
    }

    /// <summary>The certificate's common name: "party-0", "party-1", "party-2", "analyst" or "contributor-NAME".</summary>
    public string CommonName => IsContributor ? $"contributor-{Contributor}" : IsAnalyst ? "analyst" : $"party-{PartyId}";

    /// <summary>How messages name the member: "party 1", "the analyst" or "contributor 'NAME'".</summary>
    public override string ToString() => IsContributor ? $"contributor '{Contributor}'" : IsAnalyst ? "the analyst" : $"party {PartyId}";

    /// <summary>The member a certificate's common name names ("party-1", "analyst", "contributor-NAME"), or null.</summary>
    public static StudyMember? FromCommonName(string? cn) => cn switch
    {
        "analyst" => Analyst,
        "party-0" => Party(0),
        "party-1" => Party(1),
        "party-2" => Party(2),
        _ when cn is not null && cn.StartsWith("contributor-", StringComparison.Ordinal) && ContributorName().IsMatch(cn["contributor-".Length..])
            => new StudyMember(-2, cn["contributor-".Length..]),
        _ => null,
    };
}

/// <summary>A peer presented a certificate that is not part of the study, or not the one expected.</summary>
public sealed class CertificateRefusedException : SmpcException
{
    public CertificateRefusedException(string message) : base(message) { }
    public CertificateRefusedException(string message, Exception inner) : base(message, inner) { }
}
