using OciRegistry.Core.References;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.PostgreSql;

/// <summary>A manifest put: its checks and its writes in one statement, sent with its locks in one round trip.</summary>
public sealed partial class PostgreSqlMetadataStore
{
    // After the repository's lock and the digest's (AddDeletionCheck), so its snapshot sees every earlier writer of
    // the repository and no running collector can mark or unmark the digest meanwhile. The verdict holds the checks:
    // the first reference the repository lacks (blobs first, each list in its order), an immutable tag ($4, null when
    // the tag is not immutable) that points elsewhere, a running collector deleting the manifest's bytes. The writes
    // (the manifest's own link, its record, its references, its tag $14) happen only when it allows them; their foreign
    // keys are checked at the end of the statement, when the record they point at is in. The row returned is the
    // verdict, so a refusal commits nothing.
    private const string PutManifest = """
        WITH missing AS (
                SELECT reference FROM unnest($2::text[], $3::boolean[]) WITH ORDINALITY AS r (reference, is_manifest, position)
                WHERE NOT CASE WHEN is_manifest
                    THEN EXISTS (SELECT 1 FROM manifests WHERE repository = $1 AND digest = reference)
                    ELSE EXISTS (SELECT 1 FROM blob_links WHERE repository = $1 AND digest = reference) END
                ORDER BY position LIMIT 1),
             verdict AS (
                SELECT (SELECT reference FROM missing) AS missing,
                       EXISTS (SELECT 1 FROM tags WHERE repository = $1 AND name = $4 AND digest <> $5) AS tag_held,
                       EXISTS (SELECT 1 FROM blob_deletions WHERE digest = $5) AS deleting),
             allowed AS (SELECT 1 FROM verdict WHERE missing IS NULL AND NOT tag_held AND NOT deleting),
             link AS (
                INSERT INTO blob_links (repository, digest, linked_at, size) SELECT $1, $5, $13, $7 FROM allowed
                ON CONFLICT (repository, digest) DO UPDATE SET linked_at = excluded.linked_at, size = excluded.size),
             record AS (
                INSERT INTO manifests (repository, digest, media_type, size, subject, artifact_type, annotations, referenced_size, platforms, pushed_at)
                SELECT $1, $5, $6, $7, $8, $9, $10, $11, $12, $13 FROM allowed
                ON CONFLICT (repository, digest) DO UPDATE SET pushed_at = excluded.pushed_at),
             refs AS (
                INSERT INTO manifest_references (repository, manifest, digest, is_manifest)
                SELECT $1, $5, reference, is_manifest FROM unnest($2::text[], $3::boolean[]) AS r (reference, is_manifest), allowed
                ON CONFLICT DO NOTHING),
             tag AS (
                INSERT INTO tags (repository, name, digest, updated_at) SELECT $1, $14, $5, $13 FROM allowed WHERE $14::text IS NOT NULL
                ON CONFLICT (repository, name) DO UPDATE SET digest = excluded.digest, updated_at = excluded.updated_at)
        SELECT missing, tag_held, deleting FROM verdict
        """;

    /// <inheritdoc />
    /// <remarks>
    /// One round trip: the repository's and the digest's locks, the removal of a mark no live collector holds, and one
    /// statement that checks and, only when the checks allow it, writes, all in the batch's implicit transaction, whose
    /// commit is synced. A batch, once sent, commits even when its instance dies while it waits for a lock; for a put
    /// that stores what the client pushed (its bytes are stored before it), which the client, not told, pushes again.
    /// </remarks>
    public async ValueTask<ManifestPutResult> PutManifestAsync(RepositoryName repository, ManifestRecord manifest, ManifestReferences references, string? tag, bool tagIsImmutable = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(references);
        var batch = _dataSource.CreateBatch();
        await using (batch.ConfigureAwait(false))
        {
            var digest = manifest.Digest.ToString();
            var now = Now();
            Add(batch, AdvisoryLocks.Repository, repository);
            AddDeletionCheck(batch, digest, now);
            Add(
                batch,
                PutManifest,
                repository,
                references.Blobs.Concat(references.Manifests).Select(d => d.ToString()).ToArray(),
                references.Blobs.Select(_ => false).Concat(references.Manifests.Select(_ => true)).ToArray(),
                Text(tagIsImmutable ? tag : null),
                digest,
                manifest.MediaType,
                manifest.Size,
                Text(manifest.Subject?.ToString()),
                Text(manifest.ArtifactType),
                new NpgsqlParameter
                {
                    NpgsqlDbType = NpgsqlDbType.Jsonb,
                    Value = manifest.Annotations is null
                        ? DBNull.Value
                        : JsonSerializer.Serialize(manifest.Annotations, PostgreSqlJsonContext.Default.IReadOnlyDictionaryStringString),
                },
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)manifest.ReferencedSize ?? DBNull.Value },
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = (object?)manifest.Platforms?.ToArray() ?? DBNull.Value },
                now,
                Text(tag));
            var result = await ReadPutVerdictAsync(batch, cancellationToken).ConfigureAwait(false);
            if (result.Status == ManifestPutStatus.Stored)
            {
                Changed(repository);
            }

            return result;
        }
    }

    // Runs the put's batch and reads its verdict (the last statement's one row).
    private static async Task<ManifestPutResult> ReadPutVerdictAsync(NpgsqlBatch batch, CancellationToken cancellationToken)
    {
        var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            // Past the repository's and the digest's locks to the verdict (the mark's removal returns no result).
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (!reader.IsDBNull(0))
            {
                return new ManifestPutResult(ManifestPutStatus.MissingReference, Digest.Parse(reader.GetString(0)));
            }

            return reader.GetBoolean(1) ? new ManifestPutResult(ManifestPutStatus.TagImmutable)
                : reader.GetBoolean(2) ? new ManifestPutResult(ManifestPutStatus.BlobDeleting)
                : new ManifestPutResult(ManifestPutStatus.Stored);
        }
    }
}
