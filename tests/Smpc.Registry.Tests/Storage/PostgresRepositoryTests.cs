using Smpc.Registry.Data;
using Smpc.Registry.Tests.Infrastructure;

namespace Smpc.Registry.Tests.Storage;

/// <summary>The storage contract on a real PostgreSQL server started by the tests, one database per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRepositoryTests(PostgresServer server) : RepositoryContract
{
    protected override async Task<RegistryDatabase> NewDatabaseAsync() =>
        RegistryDatabase.Resolve(await server.CreateDatabaseAsync("repo"), Path.GetTempPath());
}
