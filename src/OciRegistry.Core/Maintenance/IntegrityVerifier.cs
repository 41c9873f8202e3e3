using OciRegistry.Core.References;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Operations;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.Maintenance;

/// <summary>
/// Re-hashes every stored blob and checks what clients rely on: every tag resolves to a manifest, every manifest's own
/// bytes, config, layers (stored and linked to its repository) and child manifests exist, every linked blob is stored.
/// With quarantine on, a blob whose bytes do not match its digest is deleted, so it is served as unknown (and can be
/// pushed again) instead of as wrong bytes. With repair on, what can be put back is: a referenced blob whose bytes are
/// stored and intact is linked again; a missing manifest (a tag's target, an index's child) whose bytes are stored,
/// with everything they reference, is stored again; a tag whose manifest cannot be restored is removed.
/// </summary>
/// <remarks>Blobs stream through a pooled 1 MiB buffer: memory stays flat whatever the blob sizes.</remarks>
public sealed partial class IntegrityVerifier
{
    private readonly IBlobStore _blobs;
    private readonly IMetadataStore _metadata;
    private readonly IOptions<RegistryOptions> _options;
    private readonly ILogger<IntegrityVerifier> _logger;

    /// <summary>Creates a verifier over the given stores.</summary>
    public IntegrityVerifier(IBlobStore blobs, IMetadataStore metadata, IOptions<RegistryOptions> options, ILogger<IntegrityVerifier>? logger = null)
    {
        _blobs = blobs;
        _metadata = metadata;
        _options = options;
        _logger = logger ?? NullLogger<IntegrityVerifier>.Instance;
    }

    /// <summary>
    /// Verifies every blob and every manifest's references; with <paramref name="quarantine"/>, deletes corrupt blobs;
    /// with <paramref name="repair"/>, puts back what can be put back.
    /// </summary>
    public async Task<IntegrityReport> VerifyAsync(bool quarantine = false, bool repair = false, CancellationToken cancellationToken = default)
    {
        var report = new IntegrityReport(quarantine, repair);
        var entries = new List<BlobEntry>();
        await foreach (var entry in _blobs.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(entry);
        }

        foreach (var entry in entries.OrderBy(e => e.Digest))
        {
            if (await HashAsync(entry.Digest, cancellationToken).ConfigureAwait(false) is not var (actual, length))
            {
                continue;
            }

            report.BlobsChecked++;
            report.BytesChecked += length;
            if (actual != entry.Digest)
            {
                var quarantined = quarantine && await _blobs.DeleteAsync(entry.Digest, cancellationToken).ConfigureAwait(false);
                Log.Corrupt(_logger, entry.Digest, actual, quarantined);
                report.Corrupt.Add(new CorruptBlob(entry.Digest, actual, length, quarantined));
            }
        }

        await CheckReferencesAsync(report, [.. report.Corrupt.Select(c => c.Digest)], cancellationToken).ConfigureAwait(false);
        Log.Finished(_logger, report.BlobsChecked, report.BytesChecked, report.Corrupt.Count, report.Missing.Count, report.Missing.Count(m => m.Repair != RepairOutcome.None));
        return report;
    }

    // Corrupt blobs (quarantined or not) are never relinked nor restored from.
    private async Task CheckReferencesAsync(IntegrityReport report, HashSet<Digest> corrupt, CancellationToken cancellationToken)
    {
        var reader = new ManifestReferenceReader(_blobs, _options.Value.MaxManifestBytes);
        var repairs = report.Repair ? new Repairs(_blobs, _metadata, _options, corrupt) : null;
        string? after = null;
        while (true)
        {
            var repositories = await _metadata.ListRepositoriesAsync(after, 1000, cancellationToken).ConfigureAwait(false);
            foreach (var repository in repositories)
            {
                foreach (var record in await _metadata.ListManifestsAsync(repository, cancellationToken).ConfigureAwait(false))
                {
                    await CheckManifestAsync(repository, record, reader, report, repairs, cancellationToken).ConfigureAwait(false);
                }

                await CheckTagsAndLinksAsync(repository, report, repairs, cancellationToken).ConfigureAwait(false);
            }

            if (repositories.Count < 1000)
            {
                return;
            }

            after = repositories[^1].Value;
        }
    }

    // Every tag resolves to a stored manifest, every linked blob is stored. A link to a blob this run quarantined is
    // reported, then goes with the blob, so the repository asks clients for it again instead of pointing at nothing.
    private async Task CheckTagsAndLinksAsync(RepositoryName repository, IntegrityReport report, Repairs? repairs, CancellationToken cancellationToken)
    {
        var quarantined = report.Corrupt.Where(c => c.Quarantined).Select(c => c.Digest).ToHashSet();
        foreach (var tag in await _metadata.GetTagsAsync(repository, cancellationToken).ConfigureAwait(false))
        {
            if (await _metadata.GetManifestAsync(repository, tag.Digest, cancellationToken).ConfigureAwait(false) is null)
            {
                Log.Missing(_logger, repository.Value, tag.Digest, tag.Digest);
                var repair = repairs is null ? RepairOutcome.None : await repairs.RestoreOrRemoveTagAsync(repository, tag, cancellationToken).ConfigureAwait(false);
                report.Missing.Add(new MissingReference(repository, tag.Digest, tag.Digest) { Tag = tag.Name, Repair = repair });
            }
        }

        foreach (var link in await _metadata.ListBlobLinksAsync(repository, cancellationToken).ConfigureAwait(false))
        {
            if (await _blobs.GetSizeAsync(link.Digest, cancellationToken).ConfigureAwait(false) is not null)
            {
                continue;
            }

            Log.Missing(_logger, repository.Value, link.Digest, link.Digest);
            report.Missing.Add(new MissingReference(repository, link.Digest, link.Digest));
            if (quarantined.Contains(link.Digest))
            {
                await _metadata.UnlinkBlobAsync(repository, link.Digest, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task CheckManifestAsync(RepositoryName repository, ManifestRecord record, ManifestReferenceReader reader, IntegrityReport report, Repairs? repairs, CancellationToken cancellationToken)
    {
        var references = await _blobs.GetSizeAsync(record.Digest, cancellationToken).ConfigureAwait(false) is null
            ? null
            : await reader.ReadAsync(record, cancellationToken).ConfigureAwait(false);
        if (references is null)
        {
            Report(new MissingReference(repository, record.Digest, record.Digest));
            return;
        }

        foreach (var blob in references.Blobs)
        {
            if (await _blobs.GetSizeAsync(blob, cancellationToken).ConfigureAwait(false) is null)
            {
                Report(new MissingReference(repository, record.Digest, blob));
            }
            else if (!await _metadata.IsBlobLinkedAsync(repository, blob, cancellationToken).ConfigureAwait(false))
            {
                var repair = repairs is null ? RepairOutcome.None : await repairs.RelinkAsync(repository, blob, cancellationToken).ConfigureAwait(false);
                Report(new MissingReference(repository, record.Digest, blob) { Repair = repair });
            }
        }

        foreach (var child in references.Children)
        {
            if (await _metadata.GetManifestAsync(repository, child, cancellationToken).ConfigureAwait(false) is null)
            {
                var repair = repairs is null ? RepairOutcome.None : await repairs.RestoreManifestAsync(repository, child, tag: null, cancellationToken).ConfigureAwait(false);
                Report(new MissingReference(repository, record.Digest, child) { Repair = repair });
            }
        }

        void Report(MissingReference missing)
        {
            Log.Missing(_logger, missing.Repository.Value, missing.Manifest, missing.Missing);
            report.Missing.Add(missing);
        }
    }

    private async Task<(Digest Actual, long Length)?> HashAsync(Digest digest, CancellationToken cancellationToken)
    {
        var content = await _blobs.OpenAsync(digest, cancellationToken).ConfigureAwait(false);
        if (content is null)
        {
            return null;
        }

        await using (content.ConfigureAwait(false))
        {
            using var hasher = DigestHasher.Rent(digest.Algorithm);
            var length = await content.HashIntoAsync(hasher, cancellationToken).ConfigureAwait(false);
            return (hasher.Finish(), length);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 110, Level = LogLevel.Error, Message = "Blob {Digest} is corrupt: its bytes hash to {Actual} (quarantined: {Quarantined})")]
        public static partial void Corrupt(ILogger logger, Digest digest, Digest actual, bool quarantined);

        [LoggerMessage(EventId = 111, Level = LogLevel.Error, Message = "Manifest {Manifest} in {Repository} references {Missing}, which the registry cannot serve")]
        public static partial void Missing(ILogger logger, string repository, Digest manifest, Digest missing);

        [LoggerMessage(EventId = 112, Level = LogLevel.Information, Message = "Verification finished: {Blobs} blobs, {Bytes} bytes, {Corrupt} corrupt, {Missing} missing references, {Repaired} repaired")]
        public static partial void Finished(ILogger logger, int blobs, long bytes, int corrupt, int missing, int repaired);
    }
}
