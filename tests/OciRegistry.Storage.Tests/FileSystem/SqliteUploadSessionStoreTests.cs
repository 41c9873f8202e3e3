using OciRegistry.Core.Storage;
using OciRegistry.Storage.Sqlite;
using OciRegistry.Storage.Tests.Contracts;

namespace OciRegistry.Storage.Tests.FileSystem;

/// <summary>Two stores opened on one database file, as two registry processes sharing a root.</summary>
public sealed class SqliteUploadSessionStoreTests : UploadSessionStoreContract, IDisposable
{
    private readonly TemporaryRoot _root = new();
    private readonly List<SqliteMetadataStore> _stores = [];

    public void Dispose()
    {
        _stores.ForEach(store => store.Dispose());
        _root.Dispose();
    }

    protected override (IUploadSessionStore A, IUploadSessionStore B) CreateInstances(TimeProvider time)
    {
        var path = Path.Combine(_root.Path, "metadata.db");
        _stores.Add(new SqliteMetadataStore(path, time));
        _stores.Add(new SqliteMetadataStore(path, time));
        return (_stores[0], _stores[1]);
    }
}
