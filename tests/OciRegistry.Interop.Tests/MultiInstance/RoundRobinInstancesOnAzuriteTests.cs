using OciRegistry.Storage.Tests.AzureBlob;
using OciRegistry.Storage.Tests.PostgreSql;

namespace OciRegistry.Interop.Tests.MultiInstance;

/// <summary>
/// The round-robin instances with their blobs and uploads in one Azurite container and no folder shared at all: every
/// instance reads what another staged from the store alone, including a GiB blob.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class RoundRobinInstancesOnAzuriteTests(PostgreSqlServer postgres, AzuriteServer azurite)
    : RoundRobinInstancesTests(postgres), IClassFixture<AzuriteServer>
{
    protected override long LargeBlobBytes => 1024L * 1024 * 1024;

    private protected override InstanceStorage CreateStorage() => new AzuriteContainerStorage(azurite);
}
