using System.Net;
using System.Net.Http.Headers;

namespace OciRegistry.Server.Tests;

/// <summary>A blob pushed over HTTP the way clients push in chunks.</summary>
internal static class ChunkedPush
{
    /// <summary>POST, PATCHes of <paramref name="chunkBytes"/>, then PUT with the digest; returns the blob's location.</summary>
    public static async Task<string> PushAsync(HttpClient client, string repository, byte[] content, int chunkBytes, string digest)
    {
        using var started = await client.PostAsync($"/v2/{repository}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var upload = started.Headers.Location!.ToString();
        for (var offset = 0; offset < content.Length; offset += chunkBytes)
        {
            var length = Math.Min(chunkBytes, content.Length - offset);
            using var chunk = new ByteArrayContent(content, offset, length);
            chunk.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            chunk.Headers.ContentRange = new ContentRangeHeaderValue(offset, offset + length - 1);
            using var patched = await client.PatchAsync(upload, chunk);
            Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
            upload = patched.Headers.Location!.ToString();
        }

        var separator = upload.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        using var put = await client.PutAsync($"{upload}{separator}digest={digest}", null);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        return put.Headers.Location!.ToString();
    }
}
