using System.Text;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Errors;
using OciRegistry.Core.InMemory;
using OciRegistry.Core.Storage;
using OciRegistry.Core.Tests.Maintenance;

namespace OciRegistry.Core.Tests.Operations;

/// <summary>
/// A manifest put checks that its config and layers are linked to the repository in one metadata call (on a database
/// each call is a round trip), and still reports the first missing one in the manifest's order.
/// </summary>
public sealed class ManifestLinkCheckTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public async Task AnImagePut_AsksForAllItsBlobLinks_InOneCall()
    {
        var calls = new List<string>();
        var registry = NewRegistry(method =>
        {
            calls.Add(method);
            return ValueTask.CompletedTask;
        });

        await registry.PushImageAsync("app", "v1", "config", "layer 1", "layer 2", "layer 3");

        Assert.Equal(1, calls.Count(method => method == nameof(IMetadataStore.FindLinkedBlobsAsync)));
        Assert.DoesNotContain(nameof(IMetadataStore.IsBlobLinkedAsync), calls);
    }

    [Theory]
    [InlineData("missing 1", "missing 2")]
    [InlineData("missing 2", "missing 1")]
    public async Task AnImageMissingSeveralBlobs_IsRefusedNamingTheFirst_AndStoresNothing(string first, string second)
    {
        var registry = NewRegistry(_ => ValueTask.CompletedTask);
        var config = await registry.PushBlobAsync("app", "config");
        var present = await registry.PushBlobAsync("app", "present");
        var json = $$"""
            {"schemaVersion":2,"mediaType":"{{MaintenanceRegistry.ImageManifestType}}",
             "config":{{Descriptor(config, "config")}},
             "layers":[{{Descriptor(present, "present")}},{{Descriptor(MaintenanceRegistry.DigestOf(first), first)}},{{Descriptor(MaintenanceRegistry.DigestOf(second), second)}}]}
            """;
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

    private static string Descriptor(Digest digest, string content) =>
        $$"""{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{digest}}","size":{{Encoding.UTF8.GetByteCount(content)}}}""";
}
