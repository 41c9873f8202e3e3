using System.Formats.Tar;
using System.Runtime.CompilerServices;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Manifests;

namespace OciRegistry.Mirror.Transfer;

/// <summary>
/// Reads an OCI image layout from a folder or a <c>.tar</c> file (unpacked into a temporary folder, deleted on dispose).
/// Entries without a repository annotation (layouts written by other tools) belong to <c>defaultRepository</c>.
/// </summary>
internal sealed class OciLayoutSource : IImageSource
{
    private readonly string _root;
    private readonly string? _unpacked;
    private readonly IReadOnlyList<(string Repository, string? Tag, Descriptor Entry)> _entries;

    private OciLayoutSource(string root, string? unpacked, string defaultRepository)
    {
        _root = root;
        _unpacked = unpacked;
        _entries = OciLayout.ReadIndex(root)
            .Select(e => (OciLayoutTarget.Annotation(e, OciLayout.RepositoryAnnotation) ?? defaultRepository, OciLayoutTarget.Annotation(e, OciLayout.TagAnnotation), e))
            .ToList();
    }

    /// <summary>Every entry of the layout's index: its repository, its tag (null for a referrer or untagged manifest) and its digest.</summary>
    public IEnumerable<(string Repository, string? Tag, Digest Digest)> Entries => _entries.Select(e => (e.Repository, e.Tag, e.Entry.Digest));

    public static async Task<OciLayoutSource> OpenAsync(string path, string defaultRepository, CancellationToken cancellationToken)
    {
        if (!OciLayout.IsTar(path))
        {
            return new OciLayoutSource(path, null, defaultRepository);
        }

        var folder = Directory.CreateTempSubdirectory("oci-import-").FullName;
        await TarFile.ExtractToDirectoryAsync(path, folder, overwriteFiles: true, cancellationToken).ConfigureAwait(false);
        return new OciLayoutSource(folder, folder, defaultRepository);
    }

    public async IAsyncEnumerable<string> ListRepositoriesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (var repository in _entries.Select(e => e.Repository).Distinct(StringComparer.Ordinal))
        {
            yield return repository;
        }
    }

    public Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(_entries.Where(e => e.Repository == repository && e.Tag is not null).Select(e => e.Tag!).ToList());

    public async Task<ManifestDocument?> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        var entry = _entries.FirstOrDefault(e => e.Repository == repository && (e.Tag == reference || e.Entry.Digest.ToString() == reference)).Entry;
        Digest digest;
        if (entry is not null)
        {
            digest = entry.Digest;
        }
        else if (Digest.TryParse(reference.AsSpan(), out digest) != DigestParseStatus.Valid)
        {
            return null;
        }

        var path = OciLayout.BlobPath(_root, digest);
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        var parsed = ManifestParser.Parse(bytes, entry?.MediaType);
        return parsed.IsSuccess ? new ManifestDocument(digest, parsed.Value.MediaType, bytes) : null;
    }

    public Task<Stream?> OpenBlobAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        var path = OciLayout.BlobPath(_root, digest);
        return Task.FromResult<Stream?>(File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, useAsync: true) : null);
    }

    public async Task<IReadOnlyList<Descriptor>> GetReferrersAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        var referrers = new List<Descriptor>();
        foreach (var (entryRepository, tag, entry) in _entries.Where(e => e.Repository == repository && e.Tag is null))
        {
            var manifest = await GetManifestAsync(repository, entry.Digest.ToString(), cancellationToken).ConfigureAwait(false);
            if (manifest is not null && ManifestParser.Parse(manifest.Bytes, manifest.MediaType) is { IsSuccess: true } parsed && parsed.Value.Subject?.Digest == digest)
            {
                referrers.Add(entry);
            }
        }

        return referrers;
    }

    public ValueTask DisposeAsync()
    {
        if (_unpacked is not null && Directory.Exists(_unpacked))
        {
            Directory.Delete(_unpacked, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
