namespace Smpc.Registry.Hosting;

/// <summary>How to start the registry (the options of <c>smpc registry</c>).</summary>
public sealed record RegistryOptions
{
    /// <summary>Where to listen; loopback only (<c>http://127.0.0.1:5080</c> by default; port 0: any free port).</summary>
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>The client id under which organisations' identity providers register the command line (<c>smpc registry
    /// login</c>: a public client, authorization code with PKCE, loopback redirect); its ID tokens are accepted as API
    /// credentials like those issued to the registry's own client.</summary>
    public string CommandLineClientId { get; init; } = "smpc-cli";

    /// <summary>Folder of the SQLite database (<c>registry.db</c>) and of the data-protection keys.</summary>
    public string DataDirectory { get; init; } = "registry-data";

    /// <summary>A PostgreSQL (<c>Host=…</c>) or SQLite (<c>Data Source=…</c>) connection string; null: SQLite in <see cref="DataDirectory"/>.</summary>
    public string? Connection { get; init; }

    /// <summary>Seed the synthetic agencies, their people and the veterans' study.</summary>
    public bool Demo { get; init; }

    /// <summary>With <see cref="Demo"/>: what runs once the registry listens, before it waits for Ctrl+C (<c>smpc registry
    /// --demo</c> seeds the pilot study and runs its computations through registry-gated compute parties; see
    /// <see cref="DemoPilot"/>). A failure is printed and the registry goes on serving. Null: nothing.</summary>
    public Func<RegistryStarted, CancellationToken, Task>? DemoStarted { get; init; }

    /// <summary>Wrong passwords before an account locks.</summary>
    public int MaxFailedSignIns { get; init; } = 5;

    public TimeSpan LockoutDuration { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The address people reach the registry at (e.g. the TLS reverse proxy's), used in mailed links; null: the
    /// address Kestrel listens on. Links never take the request's Host header.</summary>
    public string? PublicUrl { get; init; }

    /// <summary>How long a password-reset link works (it also stops working once used).</summary>
    public TimeSpan ResetLinkLifetime { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Where mail goes; null: <c>DIR/smtp.json</c> when present, else the pickup folder <c>DIR/mail</c>.</summary>
    public Mail.MailSettings? Mail { get; init; }

    /// <summary>An extra log destination (tests read it to check that no secret is logged).</summary>
    public ILoggerProvider? LogSink { get; init; }

    /// <summary>Clock for lifecycle times and "waited since"; tests pass their own.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Log level for ASP.NET Core and EF Core categories (Warning by default: no request or SQL logging).</summary>
    public LogLevel FrameworkLogLevel { get; init; } = LogLevel.Warning;
}
