using System.Net;
using System.Security.Cryptography;

namespace OciRegistry.Benchmarks.Http;

/// <summary>The HTTP client side shared by the end-to-end benchmarks: pattern blobs, their digests, and push calls (raw socket for blobs, HttpClient for small setup).</summary>
internal static class BenchmarkBlobs
{
    public const int MiB = 1024 * 1024;

    /// <summary>The <c>sha256:</c> digest of a pattern blob of <paramref name="length"/> bytes.</summary>
    public static string DigestOf(long length)
    {
        using var stream = new PatternStream(0, length);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Starts an upload session; returns its location.</summary>
    public static async Task<Uri> StartUploadAsync(HttpClient client, string repository)
    {
        using var response = await client.PostAsync($"v2/{repository}/blobs/uploads/", content: null);
        Expect(response, HttpStatusCode.Accepted);
        return new Uri(client.BaseAddress!, response.Headers.Location!);
    }

    /// <summary>POST then one PUT <c>?digest=</c> carrying the whole blob.</summary>
    public static async Task PushMonolithicAsync(RawHttpClient client, string repository, long length, string digest)
    {
        var location = await StartUploadAsync(client, repository);
        var (status, _, _) = await client.SendAsync("PUT", WithDigest(location, digest), bodyLength: length);
        Expect(status, 201, "PUT ?digest=");
    }

    /// <summary>POST, one PATCH per <paramref name="chunkLength"/> bytes with its <c>Content-Range</c>, then PUT <c>?digest=</c>.</summary>
    public static async Task PushChunkedAsync(RawHttpClient client, string repository, long length, long chunkLength, string digest)
    {
        var location = await StartUploadAsync(client, repository);
        for (long offset = 0; offset < length; offset += chunkLength)
        {
            var size = Math.Min(chunkLength, length - offset);
            var (status, next, _) = await client.SendAsync("PATCH", location, offset, size, contentRange: (offset, size), readLocation: true);
            Expect(status, 202, "PATCH");
            location = next!;
        }

        var (finished, _, _) = await client.SendAsync("PUT", WithDigest(location, digest));
        Expect(finished, 201, "PUT to finish");
    }

    /// <summary>Fails the benchmark loudly when the registry answered something else.</summary>
    public static void Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.StatusCode != status)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode}, expected {(int)status}");
        }
    }

    private static void Expect(int status, int expected, string what)
    {
        if (status != expected)
        {
            throw new InvalidOperationException($"{what}: {status}, expected {expected}");
        }
    }

    private static async Task<string> StartUploadAsync(RawHttpClient client, string repository)
    {
        var (status, location, _) = await client.SendAsync("POST", $"/v2/{repository}/blobs/uploads/", readLocation: true);
        Expect(status, 202, "POST upload");
        return location!;
    }

    private static string WithDigest(string location, string digest) =>
        location + (location.Contains('?') ? "&" : "?") + "digest=" + Uri.EscapeDataString(digest);
}
