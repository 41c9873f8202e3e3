using OciRegistry.Storage.Tests.PostgreSql;

namespace OciRegistry.Interop.Tests.MultiInstance;

/// <summary>The round-robin instances with their blobs and uploads in one folder they share, as on one volume.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class RoundRobinInstancesOnASharedFolderTests(PostgreSqlServer postgres) : RoundRobinInstancesTests(postgres)
{
    protected override long LargeBlobBytes => 128L * 1024 * 1024;

    private protected override InstanceStorage CreateStorage() => new SharedFolderStorage();
}
