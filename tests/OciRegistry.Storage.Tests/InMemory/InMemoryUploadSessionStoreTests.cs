using OciRegistry.Core.InMemory;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.Tests.Contracts;

namespace OciRegistry.Storage.Tests.InMemory;

/// <summary>In memory, "two instances" are two callers of one store: the one process is the backend they share.</summary>
public sealed class InMemoryUploadSessionStoreTests : UploadSessionStoreContract
{
    protected override (IUploadSessionStore A, IUploadSessionStore B) CreateInstances(TimeProvider time)
    {
        var store = new InMemoryMetadataStore(time);
        return (store, store);
    }
}
