using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OciRegistry.Storage.Tests.PostgreSql;
using OciRegistry.Testing;

namespace OciRegistry.Interop.Tests.MultiInstance;

/// <summary>
/// Two server processes on one PostgreSQL database and one blob folder, written to at once over HTTP: the same tag,
/// the same blob, a tag move against a manifest delete. Each round races, then checks through both instances that the
/// outcome is one some order of the two requests gives; no round depends on which request wins.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class RacingInstancesTests(PostgreSqlServer postgres)
{
    private const int Rounds = 15;
    private const string ImageManifest = "application/vnd.oci.image.manifest.v1+json";

    [Fact]
    public async Task SameTag_PutThroughBoth_EndsOnOneOfTheTwoManifests_AlikeOnBoth()
    {
        await using var instances = await RegistryInstances.StartAsync(postgres, 2);
        var (one, two) = (new RegistrySeeder(instances.Clients[0]), new RegistrySeeder(instances.Clients[1]));

        for (var round = 0; round < Rounds; round++)
        {
            var a = await ManifestOfNewImageAsync(instances, one, "race/tag", $"a {round}");
            var b = await ManifestOfNewImageAsync(instances, two, "race/tag", $"b {round}");

            await Task.WhenAll(
                Task.Run(() => one.PushManifestAsync("race/tag", "latest", a.Bytes, ImageManifest)),
                Task.Run(() => two.PushManifestAsync("race/tag", "latest", b.Bytes, ImageManifest)));

            var tagged = await PullCheck.ResolveAsync(instances.Clients[0], "race/tag", "latest");
            Assert.Contains(tagged, new[] { a.Digest, b.Digest });
            Assert.Equal(tagged, await PullCheck.ResolveAsync(instances.Clients[1], "race/tag", "latest"));
            foreach (var client in instances.Clients)
            {
                Assert.Equal(["latest"], await TagsAsync(client, "race/tag"));
                await PullCheck.AssertPullableAsync(client, "race/tag", tagged!);
            }
        }

        await AssertVerifiedAsync(instances);
    }

    [Fact]
    public async Task SameBlob_PushedThroughBoth_MonolithicAndChunked_IsStoredIntact()
    {
        await using var instances = await RegistryInstances.StartAsync(postgres, 2);

        for (var round = 0; round < Rounds; round++)
        {
            var blob = RandomNumberGenerator.GetBytes(256 * 1024 + round);
            var digest = PullCheck.DigestOf(blob);

            await Task.WhenAll(
                Task.Run(() => new RegistrySeeder(instances.Clients[0]).PushBlobAsync("race/blob", blob)),
                Task.Run(async () =>
                {
                    var upload = await ChunkedUpload.StartAsync(instances.Clients[1], "race/blob");
                    foreach (var chunk in blob.Chunk(blob.Length / 2 + 1))
                    {
                        await upload.PatchAsync(instances.Clients[1], chunk);
                    }

                    await upload.FinishAsync(instances.Clients[1], digest);
                }));

            foreach (var client in instances.Clients)
            {
                Assert.Equal(blob, await client.GetByteArrayAsync($"v2/race/blob/blobs/{digest}"));
            }
        }

        await AssertVerifiedAsync(instances);
    }

    [Fact]
    public async Task TagMove_RacingADeleteOfEitherManifest_NeverLeavesTheTagOnNothing()
    {
        await using var instances = await RegistryInstances.StartAsync(postgres, 2);
        var (one, two) = (new RegistrySeeder(instances.Clients[0]), new RegistrySeeder(instances.Clients[1]));

        for (var round = 0; round < Rounds; round++)
        {
            var before = await ManifestOfNewImageAsync(instances, one, "race/move", $"before {round}");
            var moved = await ManifestOfNewImageAsync(instances, one, "race/move", $"moved {round}");
            await one.PushManifestAsync("race/move", "latest", before.Bytes, ImageManifest);

            // The tag moves away from `before` while `before` is deleted: whichever goes first, the tag ends on `moved`.
            await Task.WhenAll(
                Task.Run(() => one.PushManifestAsync("race/move", "latest", moved.Bytes, ImageManifest)),
                Task.Run(() => DeleteManifestAsync(instances.Clients[1], before.Digest)));

            foreach (var client in instances.Clients)
            {
                Assert.Equal(moved.Digest, await PullCheck.ResolveAsync(client, "race/move", "latest"));
                using var gone = await client.GetAsync($"v2/race/move/manifests/{before.Digest}");
                Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            }

            // The tag moves to `next` while `next` is deleted: either the tag and `next` are both gone, or both there.
            var next = await ManifestOfNewImageAsync(instances, one, "race/move", $"next {round}");
            await Task.WhenAll(
                Task.Run(() => one.PushManifestAsync("race/move", "latest", next.Bytes, ImageManifest)),
                Task.Run(() => DeleteManifestAsync(instances.Clients[1], next.Digest)));

            var tagged = await PullCheck.ResolveAsync(instances.Clients[0], "race/move", "latest");
            Assert.Contains(tagged, new[] { null, next.Digest });
            foreach (var client in instances.Clients)
            {
                Assert.Equal(tagged, await PullCheck.ResolveAsync(client, "race/move", "latest"));
                Assert.Equal(tagged is null ? [] : ["latest"], await TagsAsync(client, "race/move"));
                if (tagged is not null)
                {
                    await PullCheck.AssertPullableAsync(client, "race/move", tagged);
                }
            }
        }

        await AssertVerifiedAsync(instances);
    }

    // Pushes a new image's blobs and manifest (untagged) through `seeder`; returns the manifest's digest and bytes.
    private static async Task<(string Digest, byte[] Bytes)> ManifestOfNewImageAsync(RegistryInstances instances, RegistrySeeder seeder, string repository, string content)
    {
        var image = await seeder.PushImageAsync(repository, null, [Encoding.UTF8.GetBytes(content)]);
        return (image.ManifestDigest.ToString(), await instances.Clients[0].GetByteArrayAsync($"v2/{repository}/manifests/{image.ManifestDigest}"));
    }

    private static async Task DeleteManifestAsync(HttpClient client, string digest)
    {
        using var response = await client.DeleteAsync($"v2/race/move/manifests/{digest}");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private static async Task<string[]> TagsAsync(HttpClient client, string repository)
    {
        using var response = await client.GetAsync($"v2/{repository}/tags/list");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("tags") is { ValueKind: JsonValueKind.Array } tags ? [.. tags.EnumerateArray().Select(t => t.GetString()!)] : [];
    }

    private static async Task AssertVerifiedAsync(RegistryInstances instances)
    {
        var verify = await instances.RunAsync("verify");
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
    }
}
