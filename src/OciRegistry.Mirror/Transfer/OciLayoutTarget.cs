using System.Formats.Tar;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Manifests;

namespace OciRegistry.Mirror.Transfer;

/// <summary>
/// Writes an OCI image layout into a folder, or into a <c>.tar</c> file (built in <c>&lt;file&gt;.partial/</c>, packed at the
/// end). Blobs are written to a temporary file, checked against their digest and renamed, so an interrupted export run
/// again skips what is there. Tagged images and referrers get index.json entries.
/// </summary>
internal sealed class OciLayoutTarget : IImageTarget
{
    private const int CopyBufferBytes = 1024 * 1024;
    private readonly string _path;
    private readonly string _root;
    private readonly List<Descriptor> _entries;

    public OciLayoutTarget(string path)
    {
        _path = path;
        _root = OciLayout.IsTar(path) ? path + ".partial" : path;
        Directory.CreateDirectory(_root);
        _entries = OciLayout.ReadIndex(_root).ToList();
    }

    public Task<bool> HasBlobAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(OciLayout.BlobPath(_root, digest)));

    public async Task PutBlobAsync(string repository, Digest digest, long size, Stream content, CancellationToken cancellationToken)
    {
        var path = OciLayout.BlobPath(_root, digest);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        using var hasher = DigestHasher.Rent(digest.Algorithm);
        await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 0, useAsync: true))
        {
            var buffer = new byte[CopyBufferBytes];
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hasher.Append(buffer.AsSpan(0, read));
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }

        var actual = hasher.Finish();
        if (actual != digest)
        {
            File.Delete(temporary);
            throw new InvalidDataException($"{repository}@{digest}: the source sent content that hashes to {actual}");
        }

        File.Move(temporary, path, overwrite: true);
    }

    public Task<bool> HasManifestAsync(string repository, Digest digest, CancellationToken cancellationToken) => HasBlobAsync(repository, digest, cancellationToken);

    public async Task PutManifestAsync(string repository, ManifestDocument manifest, string? tag, CancellationToken cancellationToken)
    {
        if (!File.Exists(OciLayout.BlobPath(_root, manifest.Digest)))
        {
            await using var bytes = new MemoryStream(manifest.Bytes, writable: false);
            await PutBlobAsync(repository, manifest.Digest, manifest.Bytes.Length, bytes, cancellationToken).ConfigureAwait(false);
        }

        var isReferrer = ManifestParser.Parse(manifest.Bytes, manifest.MediaType) is { IsSuccess: true } parsed && parsed.Value.Subject is not null;
        if (tag is null && !isReferrer)
        {
            return;
        }

        var annotations = new Dictionary<string, string>(StringComparer.Ordinal) { [OciLayout.RepositoryAnnotation] = repository };
        if (tag is not null)
        {
            annotations[OciLayout.TagAnnotation] = tag;
            annotations[OciLayout.ContainerdNameAnnotation] = $"{repository}:{tag}";
            _entries.RemoveAll(e => Annotation(e, OciLayout.RepositoryAnnotation) == repository && Annotation(e, OciLayout.TagAnnotation) == tag);
        }
        else if (_entries.Any(e => e.Digest == manifest.Digest && Annotation(e, OciLayout.RepositoryAnnotation) == repository && Annotation(e, OciLayout.TagAnnotation) is null))
        {
            return;
        }

        _entries.Add(new Descriptor { MediaType = manifest.MediaType, Digest = manifest.Digest, Size = manifest.Bytes.Length, Annotations = annotations });
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        OciLayout.WriteIndex(_root, _entries);
        if (_root == _path)
        {
            return;
        }

        var temporary = _path + ".tmp";
        await TarFile.CreateFromDirectoryAsync(_root, temporary, includeBaseDirectory: false, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, _path, overwrite: true);
        Directory.Delete(_root, recursive: true);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    internal static string? Annotation(Descriptor descriptor, string key) => descriptor.Annotations?.GetValueOrDefault(key);
}
