using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Manifests;

namespace OciRegistry.AspNetCore.Tests.Support;

/// <summary>Pushes blobs and manifests to a registry over HTTP the way clients do, following the Locations it returns.</summary>
internal sealed class RegistryClient(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public static string DigestOf(byte[] content) => DigestHasher.Compute(content).ToString();

    /// <summary>One-request push: <c>POST /blobs/uploads/?digest=</c> with the body.</summary>
    public async Task<string> PushBlobAsync(string repository, byte[] content)
    {
        var digest = DigestOf(content);
        using var response = await Http.PostAsync($"/v2/{repository}/blobs/uploads/?digest={digest}", Octets(content));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return digest;
    }

    /// <summary>Starts a session and returns its Location exactly as the registry gave it.</summary>
    public async Task<string> StartUploadAsync(string repository)
    {
        using var response = await Http.PostAsync($"/v2/{repository}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return LocationOf(response);
    }

    /// <summary>Sends one chunk with its Content-Range; returns the response (caller disposes).</summary>
    public Task<HttpResponseMessage> PatchChunkAsync(string location, byte[] chunk, long start)
    {
        var content = Octets(chunk);
        content.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{start + chunk.Length - 1}");
        return Http.PatchAsync(location, content);
    }

    /// <summary>Pushes <paramref name="content"/> through a session in chunks of the given sizes, then PUT without body.</summary>
    public async Task<HttpResponseMessage> PushChunkedAsync(string repository, byte[] content, IEnumerable<int> chunkSizes, string? digest = null)
    {
        var location = await StartUploadAsync(repository);
        var offset = 0;
        foreach (var size in chunkSizes)
        {
            using var patched = await PatchChunkAsync(location, content[offset..(offset + size)], offset);
            Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
            Assert.Equal($"0-{Math.Max(offset + size - 1, 0)}", patched.Headers.GetValues("Range").Single());
            offset += size;
            location = LocationOf(patched);
        }

        Assert.Equal(content.Length, offset);
        return await Http.PutAsync(WithDigest(location, digest ?? DigestOf(content)), null);
    }

    /// <summary>PUT a manifest with its media type as Content-Type; returns the response (caller disposes).</summary>
    public Task<HttpResponseMessage> PutManifestAsync(string repository, string reference, byte[] manifest, string mediaType)
    {
        var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return Http.PutAsync($"/v2/{repository}/manifests/{reference}", content);
    }

    /// <summary>PUTs a manifest that must be accepted; returns its digest.</summary>
    public async Task<string> PushManifestAsync(string repository, string reference, byte[] manifest, string mediaType = ManifestMediaTypes.OciManifest)
    {
        using var response = await PutManifestAsync(repository, reference, manifest, mediaType);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    /// <summary>Pushes a config and one layer, then an OCI image manifest over them by <paramref name="reference"/>.</summary>
    public async Task<(string Digest, byte[] Manifest)> PushImageAsync(string repository, string reference, string layerText = "layer", object? subject = null, string? artifactType = null, IDictionary<string, string>? annotations = null)
    {
        var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        var layer = Encoding.UTF8.GetBytes(layerText);
        await PushBlobAsync(repository, config);
        await PushBlobAsync(repository, layer);
        var manifest = Manifests.Image(Manifests.Describe("application/vnd.oci.image.config.v1+json", config), [Manifests.Describe("application/vnd.oci.image.layer.v1.tar", layer)], subject, artifactType, annotations);
        return (await PushManifestAsync(repository, reference, manifest), manifest);
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync()).RootElement.Clone();
    }

    public static string LocationOf(HttpResponseMessage response)
    {
        var location = response.Headers.Location ?? throw new InvalidOperationException("no Location header");
        Assert.False(location.IsAbsoluteUri, $"Location {location} should be relative");
        return location.OriginalString;
    }

    public static string WithDigest(string location, string digest) =>
        location + (location.Contains('?') ? "&" : "?") + "digest=" + digest;

    public static ByteArrayContent Octets(byte[] content)
    {
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return body;
    }
}
