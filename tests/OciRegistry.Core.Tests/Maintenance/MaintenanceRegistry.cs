using OciRegistry.Core.References;
using System.IO.Pipelines;
using System.Text;
using Microsoft.Extensions.Options;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Errors;
using OciRegistry.Core.InMemory;
using OciRegistry.Core.Maintenance;
using OciRegistry.Core.Operations;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.Tests.Maintenance;

/// <summary>
/// Registry operations, a garbage collector and a verifier over one set of stores, with helpers that push real
/// images, indexes and referrers through <see cref="UploadOperations"/> and <see cref="ManifestOperations"/>.
/// Shared with the file-system tests (linked into OciRegistry.Storage.Tests).
/// </summary>
internal sealed class MaintenanceRegistry
{
    public const string ImageManifestType = "application/vnd.oci.image.manifest.v1+json";
    public const string IndexType = "application/vnd.oci.image.index.v1+json";

    public MaintenanceRegistry(IBlobStore blobs, IUploadStore uploads, IMetadataStore metadata, TimeProvider time, Action<RegistryOptions>? configure = null)
    {
        configure?.Invoke(RegistryOptions);
        Blobs = blobs;
        Metadata = metadata;
        UploadStore = uploads;
        var registryOptions = Options.Create(RegistryOptions);
        // A metadata store wrapped to inject faults keeps no session rows; an in-memory one keeps them for it.
        var sessions = metadata as IUploadSessionStore ?? new InMemoryMetadataStore(time);
        Uploads = new UploadOperations(uploads, sessions, blobs, metadata, registryOptions, time);
        Manifests = new ManifestOperations(blobs, metadata, registryOptions);
        BlobOperations = new BlobOperations(blobs, metadata, registryOptions);
        Collector = new GarbageCollector(blobs, metadata, Uploads, Options.Create(GcOptions), registryOptions, time);
        Verifier = new IntegrityVerifier(blobs, metadata, registryOptions);
    }

    public IBlobStore Blobs { get; }

    public IMetadataStore Metadata { get; }

    public IUploadStore UploadStore { get; }

    public RegistryOptions RegistryOptions { get; } = new();

    public GarbageCollectionOptions GcOptions { get; } = new();

    public UploadOperations Uploads { get; }

    public ManifestOperations Manifests { get; }

    public BlobOperations BlobOperations { get; }

    public GarbageCollector Collector { get; }

    public IntegrityVerifier Verifier { get; }

    public static MaintenanceRegistry InMemory(TimeProvider time, Action<RegistryOptions>? configure = null)
    {
        var blobs = new InMemoryBlobStore(time);
        return new MaintenanceRegistry(blobs, new InMemoryUploadStore(blobs, time), new InMemoryMetadataStore(time), time, configure);
    }

    public async Task<Digest> PushBlobAsync(string repository, string content)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        var digest = DigestHasher.Compute(bytes);
        var pushed = await Uploads.PushAsync(repository, digest.ToString(), PipeReader.Create(new MemoryStream(bytes)));
        return Succeeded(pushed);
    }

    /// <summary>Pushes an image whose config is <paramref name="config"/> and whose layers hold <paramref name="layers"/>.</summary>
    public async Task<Digest> PushImageAsync(string repository, string? tag, string config, params string[] layers)
    {
        var configDigest = await PushBlobAsync(repository, config);
        var layerJson = new List<string>();
        foreach (var layer in layers)
        {
            var digest = await PushBlobAsync(repository, layer);
            layerJson.Add(Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", digest, Encoding.UTF8.GetByteCount(layer)));
        }

        var json = $$"""
            {"schemaVersion":2,"mediaType":"{{ImageManifestType}}",
             "config":{{Descriptor("application/vnd.oci.image.config.v1+json", configDigest, Encoding.UTF8.GetByteCount(config))}},
             "layers":[{{string.Join(",", layerJson)}}]}
            """;
        return await PushManifestAsync(repository, tag, json, ImageManifestType);
    }

    public async Task<Digest> PushIndexAsync(string repository, string? tag, params Digest[] children)
    {
        var entries = new List<string>();
        foreach (var child in children)
        {
            var record = await Metadata.GetManifestAsync(RepositoryName.Parse(repository), child) ?? throw new InvalidOperationException($"{child} is not in {repository}");
            entries.Add(Descriptor(record.MediaType, child, record.Size));
        }

        var json = $$"""{"schemaVersion":2,"mediaType":"{{IndexType}}","manifests":[{{string.Join(",", entries)}}]}""";
        return await PushManifestAsync(repository, tag, json, IndexType);
    }

    /// <summary>Pushes an artifact (e.g. a signature) whose subject is <paramref name="subject"/>, holding <paramref name="payload"/>.</summary>
    public async Task<Digest> PushReferrerAsync(string repository, Digest subject, string payload)
    {
        var subjectRecord = await Metadata.GetManifestAsync(RepositoryName.Parse(repository), subject) ?? throw new InvalidOperationException($"{subject} is not in {repository}");
        var empty = await PushBlobAsync(repository, "{}");
        var layer = await PushBlobAsync(repository, payload);
        var json = $$"""
            {"schemaVersion":2,"mediaType":"{{ImageManifestType}}","artifactType":"application/vnd.example.signature",
             "config":{{Descriptor("application/vnd.oci.empty.v1+json", empty, 2)}},
             "layers":[{{Descriptor("application/vnd.example.signature", layer, Encoding.UTF8.GetByteCount(payload))}}],
             "subject":{{Descriptor(subjectRecord.MediaType, subject, subjectRecord.Size)}}}
            """;
        return await PushManifestAsync(repository, tag: null, json, ImageManifestType);
    }

    public async Task<Digest> PushManifestAsync(string repository, string? tag, string json, string mediaType)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var reference = tag ?? DigestHasher.Compute(bytes).ToString();
        var pushed = await Manifests.PutAsync(repository, reference, mediaType, bytes);
        return Succeeded(pushed).Digest;
    }

    /// <summary>Every blob digest in the store.</summary>
    public async Task<HashSet<Digest>> StoredBlobsAsync()
    {
        var digests = new HashSet<Digest>();
        await foreach (var entry in Blobs.ListAsync())
        {
            digests.Add(entry.Digest);
        }

        return digests;
    }

    public static Digest DigestOf(string content) => DigestHasher.Compute(Encoding.UTF8.GetBytes(content));

    private static string Descriptor(string mediaType, Digest digest, long size) =>
        $$"""{"mediaType":"{{mediaType}}","digest":"{{digest}}","size":{{size}}}""";

    private static T Succeeded<T>(RegistryResult<T> result) =>
        result.IsSuccess ? result.Value : throw new InvalidOperationException($"{result.Error!.Code}: {result.Error.Message}");
}
