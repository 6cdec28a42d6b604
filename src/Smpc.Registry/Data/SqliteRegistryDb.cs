using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Smpc.Registry.Data;

/// <summary>The registry on SQLite (the embedded default); carries the SQLite migrations (Data/Migrations/Sqlite).</summary>
public sealed class SqliteRegistryDb(DbContextOptions<SqliteRegistryDb> options) : RegistryDb(options);

/// <summary>For <c>dotnet ef migrations add … --context SqliteRegistryDb</c>.</summary>
public sealed class SqliteRegistryDbFactory : IDesignTimeDbContextFactory<SqliteRegistryDb>
{
    public SqliteRegistryDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteRegistryDb>().UseSqlite("Data Source=design-time.db").UseApplicationServiceProvider(RegistryDb.IdentitySchema).Options);
}
