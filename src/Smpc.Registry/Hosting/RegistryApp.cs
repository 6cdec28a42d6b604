using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Smpc.Registry.Api;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;

namespace Smpc.Registry.Hosting;

/// <summary>Builds the registry web application: database, Identity (passwords with lockout), cookie or personal
/// access token authentication, the access middleware, pages, the JSON API, <c>/health</c> and <c>/openapi/v1.json</c>.</summary>
public static class RegistryApp
{
    public static WebApplication Build(RegistryOptions options)
    {
        foreach (var url in options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries))
            if (!IsLoopback(url)) throw new ArgumentException($"--urls {url}: the registry listens on loopback only (127.0.0.1, [::1], localhost); put a TLS reverse proxy in front to serve others.");
        if (options.PublicUrl is { } publicUrl && !(Uri.TryCreate(publicUrl, UriKind.Absolute, out var pu) && (pu.Scheme == Uri.UriSchemeHttps || pu.Scheme == Uri.UriSchemeHttp)))
            throw new ArgumentException($"--public-url {publicUrl}: give an absolute http(s) URL, e.g. https://registry.agency.example");
        Directory.CreateDirectory(options.DataDirectory);
        var database = RegistryDatabase.Resolve(options.Connection, options.DataDirectory);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(RegistryApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
            Args = [],
        });
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter("Microsoft", options.FrameworkLogLevel).AddFilter("System", options.FrameworkLogLevel)
            // Keys in DIR/keys are not encrypted at rest (loopback service; protect the folder); no warning on each start.
            .AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        if (options.LogSink is not null) builder.Logging.AddProvider(options.LogSink);

        var services = builder.Services;
        services.AddSingleton(options.Clock);
        services.AddSingleton(database);
        database.Register(services);
        services.AddScoped<StudyRepository>();
        services.AddSingleton(new Transparency.RegistryLog(Transparency.RegistryLog.LoadOrCreateKey(options.DataDirectory)));
        services.AddSingleton<Transparency.RegistryLogInterceptor>();
        services.AddSingleton(new Api.WorkTokenEndpoints.TokenKey(Transparency.RegistryLog.LoadOrCreateKey(options.DataDirectory, "registry-tokens", "token.key")));
        services.AddSingleton(options);
        services.AddSingleton(new Mail.RegistryMail(options.Mail ?? Mail.MailSettings.Load(options.DataDirectory)));
        services.AddSingleton<RegistryLinks>();
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = options.ResetLinkLifetime);
        services.Configure<IdentityPasskeyOptions>(o => PasskeyOrigins.Configure(o, options));
        services.AddSingleton<OrganisationOidc>();
        services.AddSingleton<OrganisationTokens>();
        services.AddSingleton<Microsoft.Extensions.Options.IConfigureOptions<Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectOptions>>(sp => sp.GetRequiredService<OrganisationOidc>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Options.IPostConfigureOptions<Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectOptions>,
            Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectPostConfigureOptions>());
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Path.GetFullPath(options.DataDirectory), "keys")))
            .SetApplicationName("Smpc.Registry");

        services.AddIdentityCore<RegistryUser>(o =>
            {
                o.Password.RequiredLength = 12;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireDigit = false;
                o.Lockout.MaxFailedAccessAttempts = options.MaxFailedSignIns;
                o.Lockout.DefaultLockoutTimeSpan = options.LockoutDuration;
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = true;
                o.Stores.SchemaVersion = IdentitySchemaVersions.Version3; // passkeys
                o.SignIn.RequireConfirmedAccount = true; // asks ActiveAccountConfirmation: deactivated accounts may not sign in
            })
            .AddEntityFrameworkStores<RegistryDb>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<RegistryClaimsFactory>()
            .AddUserConfirmation<ActiveAccountConfirmation>()
            .AddDefaultTokenProviders();

        const string Smart = "cookie-or-token";
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = Smart;
                o.DefaultChallengeScheme = Smart;
            })
            .AddPolicyScheme(Smart, "Cookie or personal access token", o =>
                o.ForwardDefaultSelector = ctx => ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? TokenAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "smpc-registry";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.LoginPath = "/account/signin";
            o.Events.OnRedirectToLogin = ctx => Status(ctx.HttpContext, ctx.RedirectUri, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => Status(ctx.HttpContext, ctx.RedirectUri, StatusCodes.Status403Forbidden);
            // Every completed sign-in (password with its code, passkey, an organisation's provider) is a log entry.
            o.Events.OnSignedIn = async ctx =>
            {
                if (RegistryClaims.ActorOf(ctx.Principal!) is not { } actor) return;
                var db = ctx.HttpContext.RequestServices.GetRequiredService<RegistryDb>();
                var now = ctx.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
                db.Record(new Transparency.LogRecord(Smpc.Governance.Transparency.LogEntryKind.SignIn, now, "signed in", Actor: actor.PersonId.ToString())
                {
                    Data = new Dictionary<string, string> { ["method"] = ctx.Principal!.FindFirst("amr")?.Value ?? (ctx.Properties.Items.TryGetValue("LoginProvider", out var provider) ? provider : null) ?? "registry" },
                });
                await db.SaveChangesAsync(ctx.HttpContext.RequestAborted);
            };
        });
        services.AddAntiforgery(o => { o.Cookie.Name = "smpc-antiforgery"; o.Cookie.SameSite = SameSiteMode.Strict; });
        services.AddRazorPages();
        services.AddOpenApi();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));

        var app = builder.Build();
        app.UseSecurityHeaders();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseAuthentication();
        app.UseMiddleware<AccessMiddleware>();
        app.UseAntiforgery();

        app.MapGet("/health", async (RegistryDb db, CancellationToken ct) =>
            await db.Database.CanConnectAsync(ct) ? Results.Text("healthy") : Results.Problem(statusCode: 503, detail: "database unreachable"))
            .Access(AccessKind.Anonymous).ExcludeFromDescription();
        app.MapOpenApi().Access(AccessKind.Anonymous);
        // Which organisations sign in through their own provider, and where: what the sign-in page shows, as JSON for
        // `smpc registry login` (authority and the command line's client id at that provider).
        app.MapGet("/account/providers", async (RegistryDb db, RegistryOptions o, CancellationToken ct) =>
            (await (from s in db.OrganisationSignIns join g in db.Organisations on s.OrganisationId equals g.Id
                    select new { organisation = g.Slug, name = g.Name, displayName = s.DisplayName, authority = s.Authority }).AsNoTracking().ToListAsync(ct))
                .OrderBy(p => p.organisation, StringComparer.Ordinal)
                .Select(p => new { p.organisation, p.name, p.displayName, p.authority, commandLineClientId = o.CommandLineClientId }).ToList())
            .Access(AccessKind.Anonymous);
        app.MapRegistryApi();
        app.MapAccountApi();
        app.MapGet("/assets/{name}", (string name) =>
                typeof(RegistryApp).Assembly.GetManifestResourceStream("assets/" + name) is { } script ? Results.Stream(script, "text/javascript") : Results.NotFound())
            .Access(AccessKind.Anonymous).ExcludeFromDescription();
        app.MapRazorPages();
        return app;
    }

    /// <summary>Applies migrations and makes sure an administrator exists; returns the generated password of a newly
    /// created administrator (null when one existed), and seeds the demo when asked.</summary>
    public static async Task<StartupReport> InitialiseAsync(WebApplication app, RegistryOptions options)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        await db.Database.MigrateAsync();
        await app.Services.GetRequiredService<Transparency.RegistryLog>().LoadAsync(db);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<RegistryUser>>();
        var admin = await RegistrySeeder.EnsureAdminAsync(db, users);
        await OrganisationOidc.RegisterAllAsync(app.Services);
        DemoReport? demo = options.Demo ? await RegistrySeeder.SeedDemoAsync(db, users, options.Clock.GetUtcNow().UtcDateTime) : null;
        return new StartupReport(admin.Email, admin.Password, demo);
    }

    static Task Status(HttpContext context, string redirect, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api")) context.Response.StatusCode = status;
        else context.Response.Redirect(redirect);
        return Task.CompletedTask;
    }

    static bool IsLoopback(string url)
    {
        if (!Uri.TryCreate(url.Replace("://+", "://0.0.0.0").Replace("://*", "://0.0.0.0"), UriKind.Absolute, out var uri)) return false;
        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }
}
