using Smpc.Governance;

namespace Smpc.Registry.Api;

// JSON shapes of the API. Ids are GUIDs; times are UTC.

public sealed record MeResponse(Guid PersonId, string Name, string Email, OrganisationResponse Organisation, bool IsAdmin, bool IsPointOfContact);

public sealed record OrganisationResponse(Guid Id, string Slug, string Name, Guid? PointOfContactId, string? PointOfContact);

public sealed record StudySummary(Guid Id, string Title, StudyStage Stage, DateTime StageEnteredAt, IReadOnlyList<StudyRole> MyRoles);

public sealed record StudyResponse(
    Guid Id, string Title, string Purpose, StudyStage Stage, DateTime StageEnteredAt, StudyStage? NextStage,
    IReadOnlyList<string> UnmetCriteria, DateOnly? AnalysisEnds, IReadOnlyList<MemberResponse> Members,
    IReadOnlyList<DatasetResponse> Datasets, IReadOnlyList<CommitmentResponse> Commitments, IReadOnlyList<EventResponse> Events);

public sealed record MemberResponse(Guid PersonId, string Name, string Organisation, StudyRole Role);

public sealed record DatasetResponse(Guid Id, string Name, Guid OrganisationId, string Organisation, TermsVersionResponse? Terms, bool Approved, bool Uploaded);

public sealed record TermsVersionResponse(int Version, string Hash, DateTime DocumentedAt);

public sealed record TermsHistoryEntry(int Version, string Hash, DateTime DocumentedAt, string CanonicalJson, IReadOnlyList<string> ChangesFromPrevious);

public sealed record CommitmentResponse(Guid OrganisationId, string Organisation, string Role, string Deliverables, DateOnly? DueBy, DateTime RecordedAt);

public sealed record EventResponse(DateTime At, string Kind, string Text);

public sealed record ActionResponse(Guid StudyId, string Study, string Kind, string Text, DateTime Since, double WaitingDays);

public sealed record CreateStudyRequest(string Title, string? Purpose);

public sealed record AddMemberRequest(Guid PersonId, StudyRole Role);

public sealed record AddDatasetRequest(string Name, Guid OrganisationId);

public sealed record ApproveRequest(string TermsHash);

public sealed record UploadRequest(string ManifestSha256);

public sealed record CommitmentRequest(string Role, string Deliverables, DateOnly? DueBy);

public sealed record CreateOrganisationRequest(string Slug, string Name);

public sealed record CreatePersonRequest(string Name, string Email, Guid OrganisationId, bool PointOfContact, bool IsAdmin);

public sealed record CreatePersonResponse(Guid PersonId, string Email, string InitialPassword);

public sealed record CreateTokenRequest(string Name, int? Days);

public sealed record CreateTokenResponse(string Token, DateTime ExpiresAt);

public sealed record StageResponse(StudyStage Stage);

public sealed record PlanResponse(StudyPlan? Plan, IReadOnlyList<TermsConflict> Conflicts);
