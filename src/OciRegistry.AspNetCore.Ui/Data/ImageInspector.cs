using OciRegistry.Core.References;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OciRegistry.Core.Errors;
using OciRegistry.Core.Manifests;
using OciRegistry.Core.Operations;
using OciRegistry.Core.Storage;

namespace OciRegistry.AspNetCore.Ui.Data;

/// <summary>
/// Gathers the image page: the manifest (through <see cref="ManifestOperations"/>, so its cache and rules apply), the
/// config blob (read here only: the page shows one image), the index entries' and referrers' records.
/// </summary>
internal sealed class ImageInspector(ManifestOperations manifests, BlobOperations blobs, IMetadataStore metadata, IOptions<RegistryOptions> registryOptions)
{
    // A config larger than this is not shown (real ones are a few KiB; the page must not load a huge blob).
    private const int MaxConfigBytes = 1024 * 1024;

    public async Task<RegistryResult<ImageDetails>> InspectAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        var content = await manifests.GetAsync(repository, reference, cancellationToken).ConfigureAwait(false);
        if (!content.IsSuccess)
        {
            return content.Error;
        }

        var (record, bytes) = content.Value;
        var parsed = ManifestParser.Parse(bytes, record.MediaType, registryOptions.Value.MaxManifestBytes);
        if (!parsed.IsSuccess)
        {
            return parsed.Error;
        }

        var manifest = parsed.Value;
        var name = RepositoryName.Parse(repository);
        var children = new List<IndexEntry>(manifest.Manifests.Count);
        foreach (var child in manifest.Manifests)
        {
            var childRecord = await metadata.GetManifestAsync(name, child.Digest, cancellationToken).ConfigureAwait(false);
            children.Add(new IndexEntry(child, childRecord?.ReferencedSize is { } referenced ? child.Size + referenced : null));
        }

        var referrers = await manifests.ReferrersAsync(repository, record.Digest.ToString(), null, cancellationToken).ConfigureAwait(false);
        var tags = await metadata.GetTagsAsync(name, cancellationToken).ConfigureAwait(false);
        return new ImageDetails(
            repository,
            reference,
            record,
            manifest,
            Indent(bytes),
            children,
            await ReadConfigAsync(repository, manifest, cancellationToken).ConfigureAwait(false),
            record.Size + (record.ReferencedSize ?? manifest.References.Where(r => r.Kind != ReferenceKind.Subject).Sum(r => r.Descriptor.Size)),
            referrers.IsSuccess ? referrers.Value : [],
            [.. tags.Where(t => t.Digest == record.Digest).Select(t => t.Name).Order(StringComparer.Ordinal)]);
    }

    private async Task<ImageConfig?> ReadConfigAsync(string repository, Manifest manifest, CancellationToken cancellationToken)
    {
        if (manifest.Config is not { } config || config.Size > MaxConfigBytes || !config.MediaType.Contains("config", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var opened = await blobs.OpenAsync(repository, config.Digest.ToString(), cancellationToken).ConfigureAwait(false);
        if (!opened.IsSuccess)
        {
            return null;
        }

        await using (opened.Value.ConfigureAwait(false))
        {
            return await opened.Value.ReadAllBytesAsync(cancellationToken).ConfigureAwait(false) is { } json ? ImageConfigReader.Read(json) : null;
        }
    }

    private static string Indent(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement, IndentedJson);
        }
        catch (JsonException)
        {
            return System.Text.Encoding.UTF8.GetString(json.Span);
        }
    }

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };
}
