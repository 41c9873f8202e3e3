using Azure.Storage.Blobs.Specialized;
using OciRegistry.Storage.AzureBlob;

namespace OciRegistry.Storage.Tests.AzureBlob;

/// <summary>
/// A session's repository and start time are the staging blob's metadata, read back from the container, where anyone
/// with the account's keys can change them: values that no longer parse make the session unknown, not an exception.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobUploadMetadataTests(AzuriteServer azurite)
{
    public static TheoryData<string, string> DamagedMetadata => new()
    {
        { "repository", "Team/App" },    // uppercase is outside the spec's name grammar
        { "repository", "team//app" },   // an empty path component
        { "startedat", "yesterday" },
    };

    [Theory]
    [MemberData(nameof(DamagedMetadata))]
    public async Task ASessionWhoseMetadataIsDamaged_IsUnknown_ToGetAndList(string key, string value)
    {
        var container = azurite.CreateContainer();
        var uploads = new AzureBlobUploadStore(new AzureBlobStore(container));
        var damaged = await TestContent.UploadAsync(uploads, "team/app", TestContent.Bytes(100, seed: 1));
        var intact = await TestContent.UploadAsync(uploads, "team/other", TestContent.Bytes(100, seed: 2));
        var staging = container.GetBlockBlobClient("uploads/" + damaged);
        var metadata = (await staging.GetPropertiesAsync()).Value.Metadata;
        Assert.True(metadata.ContainsKey(key), $"the staging blob keeps '{key}'");
        metadata[key] = value;
        await staging.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero); // the instance keeps its lease after a PATCH
        await staging.SetMetadataAsync(metadata);

        Assert.Null(await uploads.GetAsync(damaged));
        Assert.Equal([intact], await uploads.ListAsync().Select(session => session.Id).ToListAsync());
    }
}
