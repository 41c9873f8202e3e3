using Npgsql;
using OciRegistry.Core.References;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.PostgreSql;

// The notified manifest cache's side of the store: lookups by tag and digest answered from it when it may answer,
// filled from PostgreSQL otherwise, and this instance's own writes of tags and manifests dropping their repository
// from it before they return (another instance's writes arrive as notifications).
public sealed partial class PostgreSqlMetadataStore
{
    /// <summary>This instance's notified cache (<see cref="PostgreSqlMetadataOptions.NotifiedCache"/>); none when null.</summary>
    internal NotifiedManifestCache? NotifiedCache { get; init; }

    private async ValueTask<ManifestRecord?> GetManifestRecordAsync(RepositoryName repository, string reference, string sql, object key, CancellationToken cancellationToken)
    {
        var cache = NotifiedCache;
        if (cache is not null && cache.TryGet(repository.Value, reference, out var cached))
        {
            return cached;
        }

        var generation = cache?.StartFill();
        var record = (await ReadManifestsAsync(sql, cancellationToken, repository, key).ConfigureAwait(false)).FirstOrDefault();
        if (cache is not null && record is not null)
        {
            cache.Fill(repository.Value, reference, record, generation);
        }

        return record;
    }

    // A write of the repository's tags or manifests (WriteAsync), dropping the repository from the cache once it
    // committed or may have.
    private async ValueTask<T> WriteManifestsAsync<T>(RepositoryName repository, CancellationToken cancellationToken, Action<NpgsqlBatch> write, Func<NpgsqlBatch, T> result)
    {
        try
        {
            return await WriteAsync(repository, cancellationToken, write, result).ConfigureAwait(false);
        }
        finally
        {
            Changed(repository);
        }
    }

    private void Changed(RepositoryName repository) => NotifiedCache?.Invalidate(repository.Value);
}
