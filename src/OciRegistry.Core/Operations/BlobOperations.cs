using OciRegistry.Core.References;
using OciRegistry.Core.Observability;
using OciRegistry.Core.Errors;
using OciRegistry.Core.Storage;
using OciRegistry.Core.Upstream;
using Microsoft.Extensions.Options;

namespace OciRegistry.Core.Operations;

/// <summary>Pulling and deleting blobs. A blob is visible in a repository only when linked to it, whoever else has it.</summary>
public sealed class BlobOperations
{
    private readonly IBlobStore _blobs;
    private readonly IMetadataStore _metadata;
    private readonly IOptions<RegistryOptions> _options;
    private readonly IUpstreamSource? _upstream;
    private readonly TimeProvider _timeProvider;

    /// <summary>
    /// Creates the operations over the given stores; misses in repositories <paramref name="upstream"/> covers are
    /// fetched there; <paramref name="timeProvider"/> dates the expiry of redirect URLs.
    /// </summary>
    public BlobOperations(
        IBlobStore blobs,
        IMetadataStore metadata,
        IOptions<RegistryOptions> options,
        IUpstreamSource? upstream = null,
        TimeProvider? timeProvider = null)
    {
        _blobs = blobs;
        _metadata = metadata;
        _options = options;
        _upstream = upstream;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The blob's size; BLOB_UNKNOWN when it is not in the repository.</summary>
    public async ValueTask<RegistryResult<long>> StatAsync(string repository, string digest, CancellationToken cancellationToken = default)
    {
        if (Check.NameAndDigest(repository, digest, out var name, out var parsed) is { } error)
        {
            return error;
        }

        if (!await _metadata.IsBlobLinkedAsync(name, parsed, cancellationToken).ConfigureAwait(false))
        {
            return _upstream is not null && _upstream.Covers(repository)
                && await _upstream.StatBlobAsync(name, parsed, cancellationToken).ConfigureAwait(false) is { } upstreamSize
                ? upstreamSize
                : RegistryError.BlobUnknown(parsed);
        }

        var size = await _blobs.GetSizeAsync(parsed, cancellationToken).ConfigureAwait(false);
        return size is { } known ? known : RegistryError.BlobUnknown(parsed);
    }

    /// <summary>Opens the blob for (ranged) reading; BLOB_UNKNOWN when it is not in the repository. The caller disposes it.</summary>
    public async ValueTask<RegistryResult<IBlobContent>> OpenAsync(string repository, string digest, CancellationToken cancellationToken = default)
    {
        using var activity = RegistryActivitySource.Start(RegistryActivitySource.BlobPull, repository, digest);
        return RegistryActivitySource.Finish(activity, await OpenCoreAsync(repository, digest, cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<RegistryResult<IBlobContent>> OpenCoreAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        if (Check.NameAndDigest(repository, digest, out var name, out var parsed) is { } error)
        {
            return error;
        }

        if (!await _metadata.IsBlobLinkedAsync(name, parsed, cancellationToken).ConfigureAwait(false))
        {
            return _upstream is not null && _upstream.Covers(repository)
                && await _upstream.OpenBlobAsync(name, parsed, cancellationToken).ConfigureAwait(false) is { } fetched
                ? RegistryResult<IBlobContent>.From(fetched)
                : RegistryError.BlobUnknown(parsed);
        }

        var content = await _blobs.OpenAsync(parsed, cancellationToken).ConfigureAwait(false);
        return content is null ? RegistryError.BlobUnknown(parsed) : RegistryResult<IBlobContent>.From(content);
    }

    /// <summary>
    /// A URL of the blob store to send the client to instead of streaming the blob, or <c>null</c> to stream it: when
    /// <see cref="RegistryOptions.BlobRedirectLifetime"/> is set, the store can sign one (<see cref="IBlobRedirects"/>)
    /// and the blob is linked in the repository (otherwise <see cref="OpenAsync"/> gives the answer, errors included).
    /// </summary>
    public async ValueTask<Uri?> FindRedirectAsync(string repository, string digest, CancellationToken cancellationToken = default)
    {
        if (_options.Value.BlobRedirectLifetime is not { } lifetime
            || _blobs is not IBlobRedirects redirects
            || Check.NameAndDigest(repository, digest, out var name, out var parsed) is not null
            || !await _metadata.IsBlobLinkedAsync(name, parsed, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return await redirects.GetReadUriAsync(parsed, _timeProvider.GetUtcNow() + lifetime, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes the blob from the repository (the bytes stay until garbage collection finds nothing else uses them).
    /// UNSUPPORTED when deletes are off; BLOB_UNKNOWN when it was not there.
    /// </summary>
    public async ValueTask<RegistryResult<bool>> DeleteAsync(string repository, string digest, CancellationToken cancellationToken = default)
    {
        if (!_options.Value.DeletesEnabled)
        {
            return RegistryError.Unsupported("deletes are disabled on this registry");
        }

        if (Check.NameAndDigest(repository, digest, out var name, out var parsed) is { } error)
        {
            return error;
        }

        return await _metadata.UnlinkBlobAsync(name, parsed, cancellationToken).ConfigureAwait(false)
            ? true
            : RegistryError.BlobUnknown(parsed);
    }
}
