using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using OciRegistry.Testing;

namespace OciRegistry.Benchmarks.Http;

/// <summary>Manifest GET and HEAD by tag over real HTTP from an in-process file-system registry, one request at a time.</summary>
[MemoryDiagnoser]
public class ManifestBenchmarks
{
    private const string ManifestType = "application/vnd.oci.image.manifest.v1+json";
    private const string ManifestPath = "v2/bench/manifest/manifests/latest";

    private InProcessRegistry _registry = null!;

    /// <summary>Starts the registry and pushes one small image tagged <c>latest</c>.</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        _registry = await InProcessRegistry.StartAsync(o => o.UseFileSystem = true);
        var client = _registry.Client;
        var config = await PushSmallBlobAsync(client, "{\"architecture\":\"amd64\",\"os\":\"linux\"}"u8.ToArray());
        var layer = await PushSmallBlobAsync(client, Encoding.UTF8.GetBytes(new string('x', 4096)));
        var manifest = $$"""
            {"schemaVersion":2,"mediaType":"{{ManifestType}}",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{config.Digest}}","size":{{config.Size}}},
             "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{layer.Digest}}","size":{{layer.Size}}}]}
            """;
        using var content = new StringContent(manifest, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(ManifestType);
        using var response = await client.PutAsync(ManifestPath, content);
        BenchmarkBlobs.Expect(response, HttpStatusCode.Created);
    }

    /// <summary>Stops the registry and deletes its data.</summary>
    [GlobalCleanup]
    public async Task CleanupAsync() => await _registry.DisposeAsync();

    /// <summary>GET of the manifest by tag, body read.</summary>
    [Benchmark]
    public async Task<int> ManifestGet()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ManifestPath);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(ManifestType));
        using var response = await _registry.Client.SendAsync(request);
        BenchmarkBlobs.Expect(response, HttpStatusCode.OK);
        return (await response.Content.ReadAsByteArrayAsync()).Length;
    }

    /// <summary>HEAD of the manifest by tag.</summary>
    [Benchmark]
    public async Task<long?> ManifestHead()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, ManifestPath);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(ManifestType));
        using var response = await _registry.Client.SendAsync(request);
        BenchmarkBlobs.Expect(response, HttpStatusCode.OK);
        return response.Content.Headers.ContentLength;
    }

    private static async Task<(string Digest, int Size)> PushSmallBlobAsync(HttpClient client, byte[] blob)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob));
        var location = await BenchmarkBlobs.StartUploadAsync(client, "bench/manifest");
        using var content = new ByteArrayContent(blob);
        using var response = await client.PutAsync(location + "?digest=" + Uri.EscapeDataString(digest), content);
        BenchmarkBlobs.Expect(response, HttpStatusCode.Created);
        return (digest, blob.Length);
    }
}
