using Microsoft.EntityFrameworkCore;

namespace Smpc.Registry.Data;

/// <summary>Which database the registry uses: SQLite at <c>DIR/registry.db</c> by default, PostgreSQL when given a
/// connection string with <c>Host=</c>, or SQLite when given one with <c>Data Source=</c>.</summary>
public sealed record RegistryDatabase(RegistryDatabase.Provider Kind, string ConnectionString)
{
    public enum Provider { Sqlite, PostgreSql }

    public static RegistryDatabase Resolve(string? connection, string dataDirectory)
    {
        if (string.IsNullOrWhiteSpace(connection))
            return new(Provider.Sqlite, $"Data Source={Path.Combine(Path.GetFullPath(dataDirectory), "registry.db")}");
        if (connection.Contains("Host=", StringComparison.OrdinalIgnoreCase) || connection.Contains("Server=", StringComparison.OrdinalIgnoreCase))
            return new(Provider.PostgreSql, connection);
        if (connection.Contains("Data Source=", StringComparison.OrdinalIgnoreCase))
            return new(Provider.Sqlite, connection);
        throw new ArgumentException("--db: give a PostgreSQL connection string (Host=…;Database=…;Username=…) or a SQLite one (Data Source=path).");
    }

    /// <summary>Registers the provider's context and <see cref="RegistryDb"/> as the type the app uses.</summary>
    public void Register(IServiceCollection services)
    {
        if (Kind == Provider.Sqlite)
        {
            services.AddDbContext<SqliteRegistryDb>((sp, o) => Intercept(sp, o.UseSqlite(ConnectionString)));
            services.AddScoped<RegistryDb>(sp => sp.GetRequiredService<SqliteRegistryDb>());
        }
        else
        {
            services.AddDbContext<PostgresRegistryDb>((sp, o) => Intercept(sp, o.UseNpgsql(ConnectionString)));
            services.AddScoped<RegistryDb>(sp => sp.GetRequiredService<PostgresRegistryDb>());
        }
    }

    /// <summary>A context outside the web app (tests, tools); with <paramref name="log"/>, its saves append to the
    /// transparency log as the app's do.</summary>
    public RegistryDb CreateContext(Transparency.RegistryLog? log = null)
    {
        var interceptors = log is null ? [] : new Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor[] { new Transparency.RegistryLogInterceptor(log) };
        return Kind == Provider.Sqlite
            ? new SqliteRegistryDb(new DbContextOptionsBuilder<SqliteRegistryDb>().UseSqlite(ConnectionString).UseApplicationServiceProvider(RegistryDb.IdentitySchema).AddInterceptors(interceptors).Options)
            : new PostgresRegistryDb(new DbContextOptionsBuilder<PostgresRegistryDb>().UseNpgsql(ConnectionString).UseApplicationServiceProvider(RegistryDb.IdentitySchema).AddInterceptors(interceptors).Options);
    }

    static void Intercept(IServiceProvider services, DbContextOptionsBuilder options)
    {
        if (services.GetService<Transparency.RegistryLogInterceptor>() is { } log) options.AddInterceptors(log);
    }

    /// <summary>The connection string with any password masked, for printing.</summary>
    public string Display => System.Text.RegularExpressions.Regex.Replace(ConnectionString, "(?i)(password|pwd)=[^;]*", "$1=***");
}
