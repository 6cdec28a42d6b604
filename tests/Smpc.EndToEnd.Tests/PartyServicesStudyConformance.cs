using Smpc.Analytics.Studies.Tests;

namespace Smpc.EndToEnd.Tests;

/// <summary>The study conformance suite against three `smpc party serve` processes over TLS, on data uploaded by
/// `smpc contribute` processes: the same tests as in one process (<see cref="EmbeddedStudyConformance"/>), another form of the study.</summary>
[Collection("processes")]
public sealed class PartyServicesStudyConformance(PartyServicesStudyFixture f) : StudyConformance(f), IClassFixture<PartyServicesStudyFixture>;
