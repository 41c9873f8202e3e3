using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Time.Testing;
using OciRegistry.Storage.AzureBlob;

namespace OciRegistry.Storage.Tests.AzureBlob;

/// <summary>What the Azure store does beyond the blob contract, against Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobStoreBehaviourTests(AzuriteServer azurite)
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task AWholeReadInBufferSizedPieces_CostsTwoRequests_AndARangedReadOne()
    {
        var requests = new RequestCounter();
        var options = new BlobClientOptions();
        options.AddPolicy(requests, HttpPipelinePosition.PerCall);
        var store = new AzureBlobStore(azurite.CreateContainer(options));
        var content = TestContent.Bytes(5 * MiB, seed: 1);
        var digest = TestContent.DigestOf(content);
        await store.PutAsync(digest, content);

        await using (var blob = await store.OpenAsync(digest))
        {
            var before = requests.Gets;
            var read = new byte[content.Length];
            for (var offset = 0; offset < content.Length; offset += MiB)
            {
                Assert.Equal(MiB, await blob!.ReadAsync(offset, read.AsMemory(offset, MiB)));
            }

            Assert.Equal(content, read);
            Assert.Equal(2, requests.Gets - before);
        }

        await using (var blob = await store.OpenAsync(digest))
        {
            var before = requests.Gets;
            Assert.Equal(content.AsSpan(3 * MiB, MiB).ToArray(), await TestContent.ReadAsync(blob!, 3 * MiB, MiB));
            Assert.Equal(1, requests.Gets - before);
        }
    }

    // A manifest put asks for its blobs' sizes, and its own bytes', right after they were written: the store answers
    // for what it wrote itself in the last two seconds, and asks Azure after that, or for a copy it found stored.
    [Fact]
    public async Task TheSizeOfABlobThisInstanceJustWrote_CostsNoRequest_ForTwoSeconds()
    {
        var requests = new RequestCounter();
        var options = new BlobClientOptions();
        options.AddPolicy(requests, HttpPipelinePosition.PerCall);
        var container = azurite.CreateContainer(options);
        var time = new FakeTimeProvider();
        var store = new AzureBlobStore(container, time);
        var written = TestContent.Bytes(1_000, seed: 3);
        var found = TestContent.Bytes(2_000, seed: 4);
        await container.GetBlobClient("blobs/" + TestContent.DigestOf(found)).UploadAsync(BinaryData.FromBytes(found));
        await store.PutAsync(TestContent.DigestOf(written), written);
        await store.PutAsync(TestContent.DigestOf(found), found);

        var before = requests.All;
        Assert.Equal(written.Length, await store.GetSizeAsync(TestContent.DigestOf(written)));
        Assert.Equal(0, requests.All - before);
        Assert.Equal(found.Length, await store.GetSizeAsync(TestContent.DigestOf(found)));
        Assert.Equal(1, requests.All - before);

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(written.Length, await store.GetSizeAsync(TestContent.DigestOf(written)));
        Assert.Equal(2, requests.All - before);
    }

    [Fact]
    public async Task ABlobThisInstanceJustWroteAndDeleted_IsGone()
    {
        var store = new AzureBlobStore(azurite.CreateContainer(), new FakeTimeProvider());
        var content = TestContent.Bytes(1_000, seed: 5);
        var digest = TestContent.DigestOf(content);
        await store.PutAsync(digest, content);

        Assert.True(await store.DeleteAsync(digest));

        Assert.Null(await store.GetSizeAsync(digest));
    }

    [Fact]
    public async Task Put_OverACopyOfAnotherLength_ReplacesIt()
    {
        var container = azurite.CreateContainer();
        var store = new AzureBlobStore(container);
        var content = TestContent.Bytes(1_000, seed: 2);
        var digest = TestContent.DigestOf(content);
        await container.GetBlobClient("blobs/" + digest).UploadAsync(BinaryData.FromBytes(content.AsMemory(0, 999)));

        await store.PutAsync(digest, content);

        await using var blob = await store.OpenAsync(digest);
        Assert.Equal(content, await TestContent.ReadAllAsync(blob!));
    }

    [Fact]
    public async Task Put_OfAStoredDigest_LeavesTheStoredObjectUntouched()
    {
        var container = azurite.CreateContainer();
        var store = new AzureBlobStore(container);
        var content = TestContent.Bytes(1_000, seed: 3);
        var digest = TestContent.DigestOf(content);
        await store.PutAsync(digest, content);
        var stored = (await container.GetBlobClient("blobs/" + digest).GetPropertiesAsync()).Value.ETag;

        await store.PutAsync(digest, content);

        Assert.Equal(stored, (await container.GetBlobClient("blobs/" + digest).GetPropertiesAsync()).Value.ETag);
    }

    [Fact]
    public async Task TwoInstancesStoringOneDigestAtOnce_LeaveOneIntactBlob()
    {
        var container = azurite.CreateContainer();
        var content = TestContent.Bytes(2 * MiB, seed: 4);
        var digest = TestContent.DigestOf(content);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await new AzureBlobStore(container).PutAsync(digest, content))));

        var store = new AzureBlobStore(container);
        Assert.Single(await store.ListAsync().ToListAsync());
        await using var blob = await store.OpenAsync(digest);
        Assert.Equal(content, await TestContent.ReadAllAsync(blob!));
    }

    [Fact]
    public async Task ReadUri_ServesTheBlob_WholeAndByRange_WithoutCredentials()
    {
        var store = new AzureBlobStore(azurite.CreateContainer());
        var content = TestContent.Bytes(10_000, seed: 6);
        var digest = TestContent.DigestOf(content);
        await store.PutAsync(digest, content);

        var uri = await store.GetReadUriAsync(digest, DateTimeOffset.UtcNow.AddMinutes(5));

        using var http = new HttpClient();
        Assert.Equal(content, await http.GetByteArrayAsync(uri));
        using var ranged = new HttpRequestMessage(HttpMethod.Get, uri) { Headers = { Range = new(100, 199) } };
        using var response = await http.SendAsync(ranged);
        Assert.Equal(System.Net.HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(content[100..200], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task AReadUriPastItsExpiry_IsRefusedByTheStore()
    {
        var store = new AzureBlobStore(azurite.CreateContainer());
        var content = TestContent.Bytes(100, seed: 7);
        var digest = TestContent.DigestOf(content);
        await store.PutAsync(digest, content);

        var uri = await store.GetReadUriAsync(digest, DateTimeOffset.UtcNow.AddHours(-1));

        using var http = new HttpClient();
        using var response = await http.GetAsync(uri);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ReadUri_IsNull_ForAMissingBlob() =>
        Assert.Null(await new AzureBlobStore(azurite.CreateContainer()).GetReadUriAsync(TestContent.DigestOf("missing"), DateTimeOffset.UtcNow.AddMinutes(5)));
}
