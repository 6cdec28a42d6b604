using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Smpc.Registry.Data;

/// <summary>The registry on PostgreSQL; carries the PostgreSQL migrations (Data/Migrations/Postgres).</summary>
public sealed class PostgresRegistryDb(DbContextOptions<PostgresRegistryDb> options) : RegistryDb(options);

/// <summary>For <c>dotnet ef migrations add … --context PostgresRegistryDb</c> (no server needed to add a migration).</summary>
public sealed class PostgresRegistryDbFactory : IDesignTimeDbContextFactory<PostgresRegistryDb>
{
    public PostgresRegistryDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresRegistryDb>().UseNpgsql("Host=127.0.0.1;Database=design_time").UseApplicationServiceProvider(RegistryDb.IdentitySchema).Options);
}
