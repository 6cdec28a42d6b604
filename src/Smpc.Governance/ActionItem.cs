namespace Smpc.Governance;

/// <summary>Something waiting on one person: what, in which study, since when.</summary>
public sealed record ActionItem(Guid StudyId, string StudyTitle, string Kind, string Text, DateTime Since)
{
    /// <summary>The dataset the action is about (terms, approval, upload, a steward's conflict), or null.</summary>
    public Guid? DatasetId { get; init; }

    /// <summary>The organisation the action is about (a commitment, an attestation), or null.</summary>
    public Guid? OrganisationId { get; init; }

    /// <summary>The registry page where the person does it.</summary>
    public string Page => Kind switch
    {
        "advance" => $"/studies/{StudyId}/advance",
        "resolve-conflict" when DatasetId is { } d => $"/studies/{StudyId}/datasets/{d}/terms",
        "resolve-conflict" => $"/studies/{StudyId}/plan",
        "document-terms" when DatasetId is { } d => $"/studies/{StudyId}/datasets/{d}/terms",
        "approve-terms" when DatasetId is { } d => $"/studies/{StudyId}/datasets/{d}/approve",
        "review-release" when DatasetId is { } d => $"/studies/{StudyId}/datasets/{d}/reviews",
        "commitment" when OrganisationId is { } o => $"/studies/{StudyId}/organisations/{o}/commitment",
        _ => $"/studies/{StudyId}",
    };

    /// <summary>How long it has waited at <paramref name="now"/>.</summary>
    public TimeSpan Waited(DateTime now) => now - Since;
}
