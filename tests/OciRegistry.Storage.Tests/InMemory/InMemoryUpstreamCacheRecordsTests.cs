using OciRegistry.Core.Upstream;
using OciRegistry.Storage.Tests.Contracts;

namespace OciRegistry.Storage.Tests.InMemory;

public sealed class InMemoryUpstreamCacheRecordsTests : UpstreamCacheRecordsContract
{
    protected override IUpstreamCacheRecords CreateRecords() => new InMemoryUpstreamCacheRecords();
}
