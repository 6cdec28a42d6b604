namespace Smpc.Analytics.Studies.Tests;

/// <summary>The study conformance suite on the study program run directly on the secure engine in this process (<see cref="Engine.SecureEngine"/>: three parties over in-memory links).</summary>
public sealed class EmbeddedStudyConformance(ConformanceStudyFixture f) : StudyConformance(f), IClassFixture<ConformanceStudyFixture>;
