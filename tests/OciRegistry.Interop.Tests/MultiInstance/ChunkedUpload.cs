using System.Net;
using System.Net.Http.Headers;

namespace OciRegistry.Interop.Tests.MultiInstance;

/// <summary>
/// A blob upload in the spec's chunked form, one request at a time, so a test decides which request goes where:
/// POST to start, PATCHes with <c>Content-Range</c>, PUT <c>?digest=</c> to finish.
/// </summary>
internal sealed class ChunkedUpload
{
    private ChunkedUpload(string location)
    {
        Location = location;
    }

    /// <summary>Where the next request of this upload goes (the last <c>Location</c> the registry answered).</summary>
    public string Location { get; private set; }

    /// <summary>The bytes the registry has acknowledged so far.</summary>
    public long Offset { get; private set; }

    public static async Task<ChunkedUpload> StartAsync(HttpClient client, string repository)
    {
        using var response = await client.PostAsync($"v2/{repository}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return new ChunkedUpload(response.Headers.Location!.ToString());
    }

    /// <summary>Sends <paramref name="chunk"/> at the acknowledged offset; fails the test unless it is accepted.</summary>
    public async Task PatchAsync(HttpClient client, byte[] chunk)
    {
        using var content = new ByteArrayContent(chunk);
        await PatchAsync(client, content, chunk.Length);
    }

    /// <summary>Sends <paramref name="length"/> bytes of <paramref name="content"/> at the acknowledged offset; fails the test unless it is accepted.</summary>
    public async Task PatchAsync(HttpClient client, HttpContent content, long length)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var request = PatchRequest(content, length);
        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"PATCH {Location} at {Offset}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Location = response.Headers.Location!.ToString();
        Offset += length;
    }

    /// <summary>A PATCH of <paramref name="length"/> bytes at the acknowledged offset, with <paramref name="content"/> as its body.</summary>
    public HttpRequestMessage PatchRequest(HttpContent content, long length)
    {
        content.Headers.TryAddWithoutValidation("Content-Range", $"{Offset}-{Offset + length - 1}");
        return new HttpRequestMessage(HttpMethod.Patch, Location) { Content = content };
    }

    /// <summary>Finishes the upload as <paramref name="digest"/>; fails the test unless the registry answers 201.</summary>
    public async Task FinishAsync(HttpClient client, string digest)
    {
        var separator = Location.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        using var response = await client.PutAsync($"{Location}{separator}digest={digest}", null);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"PUT {Location} as {digest}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
