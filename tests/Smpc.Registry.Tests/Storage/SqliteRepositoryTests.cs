using Smpc.Registry.Data;

namespace Smpc.Registry.Tests.Storage;

/// <summary>The storage contract on SQLite (the embedded default), one database file per test.</summary>
public sealed class SqliteRepositoryTests : RepositoryContract, IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "smpc-sqlite-" + Guid.NewGuid().ToString("N")[..10]);

    protected override Task<RegistryDatabase> NewDatabaseAsync()
    {
        Directory.CreateDirectory(dir);
        return Task.FromResult(RegistryDatabase.Resolve($"Data Source={Path.Combine(dir, Guid.NewGuid().ToString("N")[..8])}.db", dir));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }
}
