namespace Smpc.Analytics.Studies.Registry;

// The registry API's JSON shapes as this client reads them (GET /api/me, /api/my/studies, /api/actions). Stages and
// roles are their names as text, so a newer registry with more of them still reads.

public sealed record RegistryPerson(Guid PersonId, string Name, string Email, RegistryOrganisation Organisation, bool IsAdmin, bool IsPointOfContact);

public sealed record RegistryOrganisation(Guid Id, string Slug, string Name);

/// <summary>One of my studies: its stage, my roles, each organisation's status, the number of conflicts with the terms.</summary>
public sealed record RegistryStudy(Guid StudyId, string Title, string Stage, DateTime StageEnteredAt, string? NextStage, IReadOnlyList<string> MyRoles,
    IReadOnlyList<RegistryOrganisationStatus> Organisations, int Conflicts);

/// <summary>Where one organisation stands in a study, and what it still owes for the next stage.</summary>
public sealed record RegistryOrganisationStatus(Guid OrganisationId, string Name, bool Committed, DateOnly? CommittedDueBy,
    IReadOnlyList<RegistryDatasetStatus> Datasets, bool AttestedDestruction, IReadOnlyList<string> Owes);

public sealed record RegistryDatasetStatus(string Name, int? TermsVersion, bool Approved, bool Uploaded);

/// <summary>Something waiting on me: in which study, what, since when, for how many days.</summary>
public sealed record RegistryAction(Guid StudyId, string Study, string Kind, string Text, DateTime Since, double WaitingDays);

/// <summary>A work token the registry signed for the analyst: the token, when it expires, and its id (which the compute
/// parties' log entries name).</summary>
public sealed record RegistryWorkToken(string Token, DateTime Expires, string Id);
