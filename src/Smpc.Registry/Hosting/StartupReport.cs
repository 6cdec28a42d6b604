namespace Smpc.Registry.Hosting;

/// <summary>What <see cref="RegistryApp.InitialiseAsync"/> did: the administrator's email and, when it was created now,
/// its generated password (printed once, stored nowhere); the demo's people when seeded.</summary>
public sealed record StartupReport(string AdminEmail, string? AdminPassword, DemoReport? Demo);

/// <summary>The demo's study, people (email → roles) and their shared password (null when the demo existed already).</summary>
public sealed record DemoReport(Guid StudyId, string StudyTitle, IReadOnlyList<(string Email, string Description)> People, string? Password);

/// <summary>A registry that listens: its services, the first address it listens on, the demo it seeded and where to print.</summary>
public sealed record RegistryStarted(IServiceProvider Services, string Url, DemoReport Demo, TextWriter Output);
