using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace OciRegistry.Benchmarks.Http;

/// <summary>The HTTP client side shared by the end-to-end benchmarks: pattern blobs, their digests, and push calls.</summary>
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
    public static async Task PushMonolithicAsync(HttpClient client, string repository, long length, string digest)
    {
        var location = await StartUploadAsync(client, repository);
        using var content = Octets(new PatternStream(0, length));
        using var response = await client.PutAsync(WithDigest(location, digest), content);
        Expect(response, HttpStatusCode.Created);
    }

    /// <summary>POST, one PATCH per <paramref name="chunkLength"/> bytes with its <c>Content-Range</c>, then PUT <c>?digest=</c>.</summary>
    public static async Task PushChunkedAsync(HttpClient client, string repository, long length, long chunkLength, string digest)
    {
        var location = await StartUploadAsync(client, repository);
        for (long offset = 0; offset < length; offset += chunkLength)
        {
            var size = Math.Min(chunkLength, length - offset);
            using var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = Octets(new PatternStream(offset, size)) };
            request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + size - 1}");
            using var response = await client.SendAsync(request);
            Expect(response, HttpStatusCode.Accepted);
            location = new Uri(client.BaseAddress!, response.Headers.Location!);
        }

        using var finished = await client.PutAsync(WithDigest(location, digest), content: null);
        Expect(finished, HttpStatusCode.Created);
    }

    /// <summary>Fails the benchmark loudly when the registry answered something else.</summary>
    public static void Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.StatusCode != status)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode}, expected {(int)status}");
        }
    }

    private static StreamContent Octets(Stream stream)
    {
        var content = new StreamContent(stream, MiB);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    private static Uri WithDigest(Uri location, string digest) =>
        new(location + (location.Query.Length == 0 ? "?" : "&") + "digest=" + Uri.EscapeDataString(digest));
}
