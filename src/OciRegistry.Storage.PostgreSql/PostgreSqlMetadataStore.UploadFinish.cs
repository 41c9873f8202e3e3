using OciRegistry.Core.Digests;
using OciRegistry.Core.References;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.PostgreSql;

/// <summary>A finished upload's link and the end of its session row in one round trip.</summary>
public sealed partial class PostgreSqlMetadataStore
{
    // The link as LinkBlobAsync makes it ($1-$4; $3 is also the time a lease is compared with), then session $5's row
    // locked and deleted only when the link was made, the length is $6 and no live lease holds it. The row returned:
    // whether it linked, and the session as found (its length, whether a lease on it was live) and whether it ended.
    private const string LinkAndEndUploadSession = $$"""
        WITH linked AS ({{LinkUnlessDeleting}} RETURNING 1),
             held AS (SELECT length, lease_expires_at FROM upload_sessions WHERE id = $5 FOR UPDATE),
             ended AS (
                DELETE FROM upload_sessions USING held
                WHERE upload_sessions.id = $5 AND EXISTS (SELECT 1 FROM linked)
                  AND held.length = $6 AND (held.lease_expires_at IS NULL OR held.lease_expires_at <= $3)
                RETURNING 1)
        SELECT EXISTS (SELECT 1 FROM linked), held.length, coalesce(held.lease_expires_at > $3, false), EXISTS (SELECT 1 FROM ended)
        FROM (VALUES (1)) AS one LEFT JOIN held ON true
        """;

    /// <inheritdoc />
    /// <remarks>
    /// When <paramref name="metadata"/> is this store, one round trip instead of two: the repository's and the digest's
    /// locks, the deletion check and one statement that links and, only when it linked, ends the row, in the batch's
    /// implicit transaction, committed unsynced as the link and the row's changes are on their own (see
    /// <see cref="LinkBlobAsync"/>).
    /// </remarks>
    public async ValueTask<UploadCommitStatus?> LinkBlobAndEndUploadSessionAsync(IMetadataStore metadata, RepositoryName repository, Digest digest, long size, string id, long length, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!ReferenceEquals(metadata, this))
        {
            return await metadata.LinkBlobAsync(repository, digest, size, cancellationToken).ConfigureAwait(false)
                ? await EndUploadSessionAsync(id, length, cancellationToken).ConfigureAwait(false)
                : null;
        }

        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var now = Now();
        var batch = CreateLinkBatch(repository, digest, now);
        await using (batch.ConfigureAwait(false))
        {
            Add(batch, LinkAndEndUploadSession, repository, digest.ToString(), now, size, id, length);
            var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                // Past the results of the batch's earlier commands (the setting, the locks: one column each) to the
                // statement's one row of four, whatever CreateLinkBatch puts before it.
                while (reader.FieldCount != 4 && await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
                {
                }

                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                return reader.GetBoolean(0) switch
                {
                    false => null,
                    _ when reader.IsDBNull(1) => UploadCommitStatus.Unknown,
                    _ when reader.GetBoolean(3) => UploadCommitStatus.Committed,
                    _ when reader.GetBoolean(2) => UploadCommitStatus.Busy,
                    _ => UploadCommitStatus.LengthMismatch,
                };
            }
        }
    }
}
