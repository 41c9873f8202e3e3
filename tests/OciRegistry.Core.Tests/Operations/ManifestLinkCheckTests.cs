using System.Text;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Errors;
using OciRegistry.Core.InMemory;
using OciRegistry.Core.Storage;
using OciRegistry.Core.Tests.Maintenance;

namespace OciRegistry.Core.Tests.Operations;

/// <summary>
/// A manifest put leaves the check of its references' links to the store's put, which makes it in its own transaction
/// (on a database, in the put's one round trip): on the way to success it asks the store nothing before the put, and a
/// refused put still names the first missing reference in the manifest's order.
/// </summary>
public sealed class ManifestLinkCheckTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public async Task AnImagePut_AsksTheMetadataStoreOnlyToPut()
    {
        var calls = new List<string>();
        var registry = NewRegistry(method =>
        {
            calls.Add(method);
            return ValueTask.CompletedTask;
        });
        var config = await registry.PushBlobAsync("app", "config");
        var layer = await registry.PushBlobAsync("app", "layer 1");
        var json = Image(config, (layer, "layer 1"));
        calls.Clear();

        await registry.PushManifestAsync("app", "v1", json, MaintenanceRegistry.ImageManifestType);

        Assert.Equal([nameof(IMetadataStore.PutManifestAsync)], calls);
    }

    // The layer's bytes are stored, but linked only in another repository: it is unknown here, whatever size the
    // manifest gives it ("another size" is not that copy's size), and the refusal records nothing.
    [Theory]
    [InlineData("elsewhere")]
    [InlineData("another size")]
    public async Task AnImageNamingABlobLinkedOnlyElsewhere_IsRefusedAsUnknownNamingIt_AndRecordsNothing(string describedAs)
    {
        var registry = NewRegistry(_ => ValueTask.CompletedTask);
        var config = await registry.PushBlobAsync("app", "config");
        var elsewhere = await registry.PushBlobAsync("other", "elsewhere");
        var json = Image(config, (elsewhere, describedAs));

        var put = await registry.Manifests.PutAsync("app", "v1", MaintenanceRegistry.ImageManifestType, Encoding.UTF8.GetBytes(json));

        Assert.Equal(RegistryErrorCode.ManifestBlobUnknown, put.Error?.Code);
        Assert.Equal(elsewhere.ToString(), put.Error!.Detail!["digest"]);
        Assert.Empty(await registry.Metadata.ListManifestsAsync(Core.References.RepositoryName.Parse("app")));
        Assert.Null(await registry.Metadata.ResolveTagAsync(Core.References.RepositoryName.Parse("app"), "v1"));
    }

    [Fact]
    public async Task AnIndexMissingAChild_IsRefusedNamingIt_AndRecordsNothing()
    {
        var registry = NewRegistry(_ => ValueTask.CompletedTask);
        var child = await registry.PushImageAsync("app", tag: null, "config", "layer 1");
        var absent = MaintenanceRegistry.DigestOf("absent manifest");
        var json = $$"""
            {"schemaVersion":2,"mediaType":"{{MaintenanceRegistry.IndexType}}","manifests":[
             {"mediaType":"{{MaintenanceRegistry.ImageManifestType}}","digest":"{{child}}","size":1},
             {"mediaType":"{{MaintenanceRegistry.ImageManifestType}}","digest":"{{absent}}","size":1}]}
            """;

        var put = await registry.Manifests.PutAsync("app", "v1", MaintenanceRegistry.IndexType, Encoding.UTF8.GetBytes(json));

        Assert.Equal(RegistryErrorCode.ManifestBlobUnknown, put.Error?.Code);
        Assert.Equal(absent.ToString(), put.Error!.Detail!["digest"]);
        Assert.Equal([child], (await registry.Metadata.ListManifestsAsync(Core.References.RepositoryName.Parse("app"))).Select(m => m.Digest));
    }

    [Theory]
    [InlineData("missing 1", "missing 2")]
    [InlineData("missing 2", "missing 1")]
    public async Task AnImageMissingSeveralBlobs_IsRefusedNamingTheFirst_AndStoresNothing(string first, string second)
    {
        var registry = NewRegistry(_ => ValueTask.CompletedTask);
        var config = await registry.PushBlobAsync("app", "config");
        var present = await registry.PushBlobAsync("app", "present");
        var json = Image(config, (present, "present"), (MaintenanceRegistry.DigestOf(first), first), (MaintenanceRegistry.DigestOf(second), second));
        var storedBefore = await registry.StoredBlobsAsync();

        var put = await registry.Manifests.PutAsync("app", "v1", MaintenanceRegistry.ImageManifestType, Encoding.UTF8.GetBytes(json));

        Assert.Equal(RegistryErrorCode.ManifestBlobUnknown, put.Error?.Code);
        Assert.Equal(MaintenanceRegistry.DigestOf(first).ToString(), put.Error!.Detail!["digest"]);
        Assert.Equal(storedBefore, await registry.StoredBlobsAsync());
        Assert.Empty(await registry.Metadata.ListManifestsAsync(Core.References.RepositoryName.Parse("app")));
    }

    private MaintenanceRegistry NewRegistry(Func<string, ValueTask> before)
    {
        var blobs = new InMemoryBlobStore(_clock);
        return new MaintenanceRegistry(blobs, new InMemoryUploadStore(blobs, _clock), new InterceptedMetadataStore(new InMemoryMetadataStore(_clock), before), _clock);
    }

    // An image manifest of the config pushed as "config" and these layers, each described with its content's size.
    private static string Image(Digest config, params (Digest Digest, string Content)[] layers) => $$"""
        {"schemaVersion":2,"mediaType":"{{MaintenanceRegistry.ImageManifestType}}",
         "config":{{Descriptor(config, "config")}},"layers":[{{string.Join(",", layers.Select(layer => Descriptor(layer.Digest, layer.Content)))}}]}
        """;

    private static string Descriptor(Digest digest, string content) =>
        $$"""{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{digest}}","size":{{Encoding.UTF8.GetByteCount(content)}}}""";
}
