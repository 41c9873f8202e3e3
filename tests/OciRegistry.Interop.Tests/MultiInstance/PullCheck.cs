using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace OciRegistry.Interop.Tests.MultiInstance;

/// <summary>Pulls a manifest with everything it references (an index's children, an image's config and layers) and checks every byte against its digest.</summary>
internal static class PullCheck
{
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ];

    /// <summary>Fails the test unless <paramref name="digest"/> and all it references pull intact from <paramref name="client"/>.</summary>
    public static async Task AssertPullableAsync(HttpClient client, string repository, string digest)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/{digest}");
        foreach (var type in ManifestTypes)
        {
            request.Headers.Accept.ParseAdd(type);
        }

        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {repository}@{digest} from {client.BaseAddress}: {(int)response.StatusCode}");
        var manifest = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(digest, DigestOf(manifest));
        var json = JsonNode.Parse(manifest)!;
        if (json["manifests"] is JsonArray children)
        {
            foreach (var child in children)
            {
                await AssertPullableAsync(client, repository, child!["digest"]!.GetValue<string>());
            }

            return;
        }

        foreach (var blob in json["layers"]!.AsArray().Prepend(json["config"]))
        {
            var blobDigest = blob!["digest"]!.GetValue<string>();
            // Hashed as it arrives: a blob may be a GiB.
            using var blobResponse = await client.GetAsync($"v2/{repository}/blobs/{blobDigest}", HttpCompletionOption.ResponseHeadersRead);
            Assert.True(blobResponse.StatusCode == HttpStatusCode.OK, $"GET blob {repository}@{blobDigest} from {client.BaseAddress}: {(int)blobResponse.StatusCode}");
            await using var body = await blobResponse.Content.ReadAsStreamAsync();
            Assert.Equal(blobDigest, "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(body)));
        }
    }

    /// <summary>The digest the registry answers for a tag (HEAD), or null when the tag does not exist.</summary>
    public static async Task<string?> ResolveAsync(HttpClient client, string repository, string tag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/manifests/{tag}");
        foreach (var type in ManifestTypes)
        {
            request.Headers.Accept.ParseAdd(type);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode == HttpStatusCode.NotFound ? null : response.EnsureSuccessStatusCode().Headers.GetValues("Docker-Content-Digest").Single();
    }

    public static string DigestOf(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
}
