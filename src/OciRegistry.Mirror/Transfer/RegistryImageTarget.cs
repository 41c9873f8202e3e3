using System.IO.Pipelines;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Operations;

namespace OciRegistry.Mirror.Transfer;

/// <summary>
/// Writes images into this registry through the same operations a client's push uses: blobs verified against their
/// digest, manifests stored byte for byte after their references are checked.
/// </summary>
internal sealed class RegistryImageTarget(UploadOperations uploads, BlobOperations blobs, ManifestOperations manifests) : IImageTarget
{
    public async Task<bool> HasBlobAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        (await blobs.StatAsync(repository, digest.ToString(), cancellationToken).ConfigureAwait(false)).IsSuccess;

    public async Task PutBlobAsync(string repository, Digest digest, long size, Stream content, CancellationToken cancellationToken)
    {
        var pushed = await uploads.PushAsync(repository, digest.ToString(), PipeReader.Create(content), cancellationToken).ConfigureAwait(false);
        if (!pushed.IsSuccess)
        {
            throw new InvalidDataException($"{repository}@{digest}: {pushed.Error.Message}");
        }
    }

    public async Task<bool> HasManifestAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        (await manifests.ResolveAsync(repository, digest.ToString(), cancellationToken).ConfigureAwait(false)).IsSuccess;

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
