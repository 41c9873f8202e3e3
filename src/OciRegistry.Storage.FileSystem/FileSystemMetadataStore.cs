using System.Text;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.FileSystem;

/// <summary>
/// An <see cref="IMetadataStore"/> keeping each repository's links, manifest records, tags and referrers as small
/// files under <c>repositories/&lt;name&gt;/</c> (see <c>LAYOUT.md</c>).
/// </summary>
/// <remarks>
/// <para>Every file is written to a temp file, flushed to disk and renamed into place, so a crash never leaves a torn
/// file. Writes are ordered so a crash never leaves a reference to nothing: a manifest's record is written before its
/// referrer link and its tag, and deleted after them. A tag is a single file replaced by rename: when two writers
/// (threads or processes) retag at once, the last rename wins and the tag points at one of the two, whole.</para>
/// <para>Operations are not transactions across files: a crash inside <see cref="PutManifestAsync"/> can leave the
/// manifest linked but not yet tagged (the push was not acknowledged; retrying it is idempotent).</para>
/// </remarks>
public sealed class FileSystemMetadataStore : IMetadataStore
{
    private readonly FileSystemLayout _layout;

    /// <summary>Opens (creating when missing) the metadata under <paramref name="options"/>' root.</summary>
    public FileSystemMetadataStore(FileSystemStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _layout = new FileSystemLayout(options.RootPath);
    }

    /// <inheritdoc />
    public ValueTask LinkBlobAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        AtomicFile.Touch(_layout.BlobLink(repository, digest));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> IsBlobLinkedAsync(string repository, Digest digest, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(File.Exists(_layout.BlobLink(repository, digest)));

    /// <inheritdoc />
    public ValueTask<bool> UnlinkBlobAsync(string repository, Digest digest, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(AtomicFile.Delete(_layout, _layout.BlobLink(repository, digest)));

    /// <inheritdoc />
    public async ValueTask PutManifestAsync(string repository, ManifestRecord manifest, string? tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        await AtomicFile.ReplaceAsync(
            _layout, _layout.Manifest(repository, manifest.Digest), ManifestRecordJson.Serialize(manifest, DateTimeOffset.UtcNow), cancellationToken).ConfigureAwait(false);
        if (manifest.Subject is { } subject)
        {
            AtomicFile.Touch(_layout.ReferrerLink(repository, subject, manifest.Digest));
        }

        if (tag is not null)
        {
            await AtomicFile.ReplaceAsync(
                _layout, _layout.Tag(repository, tag), Encoding.ASCII.GetBytes(manifest.Digest.ToString()), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask<ManifestRecord?> GetManifestAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        var json = await AtomicFile.ReadAsync(_layout.Manifest(repository, digest), cancellationToken).ConfigureAwait(false);
        return json is null ? null : ManifestRecordJson.Deserialize(digest, json);
    }

    /// <inheritdoc />
    public async ValueTask<Digest?> ResolveTagAsync(string repository, string tag, CancellationToken cancellationToken = default) =>
        await ReadTagAsync(_layout.Tag(repository, tag), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<bool> DeleteManifestAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        var manifest = await GetManifestAsync(repository, digest, cancellationToken).ConfigureAwait(false);
        if (manifest is null)
        {
            return false;
        }

        foreach (var tagFile in EnumerateFiles(_layout.TagsDirectory(repository)))
        {
            if (await ReadTagAsync(tagFile, cancellationToken).ConfigureAwait(false) == digest)
            {
                await DeleteTagIfPointingAtAsync(tagFile, digest, cancellationToken).ConfigureAwait(false);
            }
        }

        if (manifest.Subject is { } subject)
        {
            AtomicFile.Delete(_layout, _layout.ReferrerLink(repository, subject, digest));
        }

        return AtomicFile.Delete(_layout, _layout.Manifest(repository, digest));
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteTagAsync(string repository, string tag, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(AtomicFile.Delete(_layout, _layout.Tag(repository, tag)));

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> ListTagsAsync(string repository, string? after, int limit, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Paging.Page(EnumerateFiles(_layout.TagsDirectory(repository)).Select(file => Path.GetFileName(file)), after, limit));

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<TagEntry>> GetTagsAsync(string repository, CancellationToken cancellationToken = default)
    {
        var tags = new List<TagEntry>();
        foreach (var tagFile in EnumerateFiles(_layout.TagsDirectory(repository)))
        {
            // A tag file is replaced whole by rename whenever the tag moves, so its write time is when it was set.
            if (await ReadTagAsync(tagFile, cancellationToken).ConfigureAwait(false) is { } digest)
            {
                tags.Add(new TagEntry(Path.GetFileName(tagFile), digest, File.GetLastWriteTimeUtc(tagFile)));
            }
        }

        return tags;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ManifestRecord>> ListManifestsAsync(string repository, CancellationToken cancellationToken = default) =>
        ReadManifestsAsync(repository, DigestFiles.Enumerate(_layout.ManifestsDirectory(repository)), cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Digest>> ListBlobLinksAsync(string repository, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<Digest>>([.. DigestFiles.Enumerate(_layout.BlobLinksDirectory(repository))]);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ManifestRecord>> ListReferrersAsync(string repository, Digest subject, CancellationToken cancellationToken = default) =>
        ReadManifestsAsync(repository, DigestFiles.Enumerate(_layout.ReferrersDirectory(repository, subject)).Order(), cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> RepositoryExistsAsync(string repository, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(HasContent(_layout.Repository(repository)));

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> ListRepositoriesAsync(string? after, int limit, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Paging.Page(FindRepositories(_layout.RepositoriesDirectory, prefix: string.Empty), after, limit));

    /// <summary>Every repository at or below <paramref name="directory"/>, at any depth.</summary>
    private static IEnumerable<string> FindRepositories(string directory, string prefix)
    {
        foreach (var child in Directory.EnumerateDirectories(directory))
        {
            var name = Path.GetFileName(child);
            if (FileSystemLayout.IsInternalName(name))
            {
                continue;
            }

            if (HasContent(child))
            {
                yield return prefix + name;
            }

            foreach (var nested in FindRepositories(child, prefix + name + "/"))
            {
                yield return nested;
            }
        }
    }

    /// <summary>True when a repository folder holds any blob link, manifest or tag.</summary>
    private static bool HasContent(string repositoryDirectory) =>
        FileSystemLayout.RepositoryMarkers.Any(marker =>
        {
            var markerDirectory = Path.Combine(repositoryDirectory, marker);
            return Directory.Exists(markerDirectory)
                && Directory.EnumerateFiles(markerDirectory, "*", SearchOption.AllDirectories).Any();
        });

    private static IEnumerable<string> EnumerateFiles(string directory) =>
        Directory.Exists(directory) ? Directory.EnumerateFiles(directory) : [];

    private static async ValueTask<Digest?> ReadTagAsync(string tagFile, CancellationToken cancellationToken)
    {
        var text = await AtomicFile.ReadAsync(tagFile, cancellationToken).ConfigureAwait(false);
        return text is not null && Digest.TryParse(text, out var digest) == DigestParseStatus.Valid ? digest : null;
    }

    /// <summary>
    /// Removes a tag only if it still points at <paramref name="digest"/>: the tag is renamed aside, checked, and put
    /// back (unless retagged meanwhile) when another writer moved it to a different manifest.
    /// </summary>
    private async ValueTask DeleteTagIfPointingAtAsync(string tagFile, Digest digest, CancellationToken cancellationToken)
    {
        var aside = _layout.NewTempPath();
        try
        {
            File.Move(tagFile, aside);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return;
        }

        if (await ReadTagAsync(aside, cancellationToken).ConfigureAwait(false) == digest)
        {
            File.Delete(aside);
        }
        else
        {
            AtomicFile.MoveIntoPlace(aside, tagFile);
        }
    }

    private async ValueTask<IReadOnlyList<ManifestRecord>> ReadManifestsAsync(
        string repository, IEnumerable<Digest> digests, CancellationToken cancellationToken)
    {
        var manifests = new List<ManifestRecord>();
        foreach (var digest in digests)
        {
            if (await GetManifestAsync(repository, digest, cancellationToken).ConfigureAwait(false) is { } manifest)
            {
                manifests.Add(manifest);
            }
        }

        return manifests;
    }
}
