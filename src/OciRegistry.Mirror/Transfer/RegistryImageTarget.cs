using OciRegistry.Core.References;
using System.IO.Pipelines;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Operations;
using OciRegistry.Core.Storage;

namespace OciRegistry.Mirror.Transfer;

/// <summary>
/// Writes images into this registry through the same operations a client's push uses: blobs verified against their
/// digest, manifests stored byte for byte after their references are checked. What is there already is asked of the
/// stores, not the operations, so a repository a mirror covers is not looked up upstream.
/// </summary>
internal sealed class RegistryImageTarget(UploadOperations uploads, ManifestOperations manifests, IBlobStore blobs, IMetadataStore metadata) : IImageTarget
{
    public async Task<bool> HasBlobAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        await metadata.IsBlobLinkedAsync(RepositoryName.Parse(repository), digest, cancellationToken).ConfigureAwait(false)
        && await blobs.GetSizeAsync(digest, cancellationToken).ConfigureAwait(false) is not null;

    public async Task PutBlobAsync(string repository, Digest digest, long size, Stream content, CancellationToken cancellationToken)
    {
        var pushed = await uploads.PushAsync(repository, digest.ToString(), PipeReader.Create(content), cancellationToken).ConfigureAwait(false);
        if (!pushed.IsSuccess)
        {
            throw new InvalidDataException($"{repository}@{digest}: {pushed.Error.Message}");
        }
    }

    public async Task<bool> HasManifestAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        await metadata.GetManifestAsync(RepositoryName.Parse(repository), digest, cancellationToken).ConfigureAwait(false) is not null;

    public async Task PutManifestAsync(string repository, ManifestDocument manifest, string? tag, CancellationToken cancellationToken)
    {
        var pushed = await manifests.PutAsync(repository, tag ?? manifest.Digest.ToString(), manifest.MediaType, manifest.Bytes, cancellationToken).ConfigureAwait(false);
        if (!pushed.IsSuccess)
        {
            throw new InvalidDataException($"{repository}@{manifest.Digest}: {pushed.Error.Message}");
        }
    }

    public Task CompleteAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
