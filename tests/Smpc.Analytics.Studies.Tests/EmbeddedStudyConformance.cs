namespace Smpc.Analytics.Studies.Tests;

/// <summary>The study conformance suite on three compute parties in this process (<see cref="Engine.SecureEngine"/>).</summary>
public sealed class EmbeddedStudyConformance(ConformanceStudyFixture f) : StudyConformance(f), IClassFixture<ConformanceStudyFixture>;
