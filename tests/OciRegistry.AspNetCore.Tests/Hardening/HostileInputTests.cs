using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OciRegistry.Testing;
using static OciRegistry.AspNetCore.Tests.Authorization.AuthRequests;
using static OciRegistry.AspNetCore.Tests.Hardening.HostileRequests;

namespace OciRegistry.AspNetCore.Tests.Hardening;

/// <summary>Malformed digests, hostile JSON, lying headers and odd ranges get typed errors and leave no trace.</summary>
public sealed class HostileInputTests : IAsyncLifetime
{
    private InProcessRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await InProcessRegistry.StartAsync(o =>
    {
        o.UseFileSystem = true;
        o.Registry = registry => registry.MaxManifestBytes = 64 * 1024;
    });

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    public static TheoryData<string> MalformedDigests() =>
    [
        "sha256:zz",
        "sha256:",
        "sha256",
        ":abc",
        "sha256:9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08",
        "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0",
        "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0800",
        "sha256:..%2F..%2Fetc%2Fpasswd",
        "sha256:%E2%80%A4%E2%80%A4",
        "md5:d41d8cd98f00b204e9800998ecf8427e",
    ];

    [Theory]
    [MemberData(nameof(MalformedDigests))]
    public async Task MalformedDigest_InBlobPath_IsDigestInvalid(string digest)
    {
        using var get = await SendRawPathAsync(_registry, HttpMethod.Get, $"/v2/team/app/blobs/{digest}");

        Assert.True(get.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{digest}: {(int)get.StatusCode}");
        Assert.Contains(await ErrorCodeAsync(get), new[] { "DIGEST_INVALID", "UNSUPPORTED", "BLOB_UNKNOWN" });
    }

    [Theory]
    [MemberData(nameof(MalformedDigests))]
    public async Task MalformedDigest_OnUpload_IsDigestInvalid_AndWritesNoBlob(string digest)
    {
        var before = FilesOf(_registry);

        using var response = await SendRawPathAsync(_registry, HttpMethod.Post, $"/v2/team/app/blobs/uploads/?digest={digest}", new ByteArrayContent([1, 2, 3]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(await ErrorCodeAsync(response), new[] { "DIGEST_INVALID", "UNSUPPORTED" });
        Assert.DoesNotContain(FilesOf(_registry).Except(before), path => path.Contains("blobs", StringComparison.Ordinal) && !path.Contains("upload", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task DeeplyNestedManifest_IsManifestInvalid()
    {
        var nested = new string('[', 10_000) + new string(']', 10_000);
        using var response = await PutManifestAsync("nested", Encoding.UTF8.GetBytes("{\"schemaVersion\":2,\"x\":" + nested + "}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("MANIFEST_INVALID", await ErrorCodeAsync(response));
    }

    [Fact]
    public async Task ManifestLargerThanTheLimit_IsRefused_WithoutReadingItAll()
    {
        var huge = Encoding.UTF8.GetBytes("{\"schemaVersion\":2,\"annotations\":{\"a\":\"" + new string('x', 1024 * 1024) + "\"}}");
        using var response = await PutManifestAsync("huge", huge);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode}");
        Assert.Contains(await ErrorCodeAsync(response), new[] { "MANIFEST_INVALID", "SIZE_INVALID" });
        using var tag = await _registry.Client.GetAsync("/v2/team/app/manifests/huge");
        Assert.Equal(HttpStatusCode.NotFound, tag.StatusCode);
    }

    [Fact]
    public async Task ManifestWithDuplicateKeys_IsRefused()
    {
        var config = Encoding.UTF8.GetBytes("{}");
        (await PushBlobAsync(_registry, "team/app", config, auth: null)).Dispose();
        var manifest = $$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{DigestOf(config)}}","size":2},
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","size":4},
             "layers":[]}
            """;

        using var response = await PutManifestAsync("dup", Encoding.UTF8.GetBytes(manifest));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(await ErrorCodeAsync(response), new[] { "MANIFEST_INVALID", "MANIFEST_BLOB_UNKNOWN" });
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/json")]
    [InlineData("application/vnd.oci.image.index.v1+json")]
    public async Task Manifest_WithContentTypeDisagreeingWithBody_IsManifestInvalid(string contentType)
    {
        var config = Encoding.UTF8.GetBytes("{}");
        (await PushBlobAsync(_registry, "team/app", config, auth: null)).Dispose();
        var body = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{DigestOf(config)}}","size":2},"layers":[]}
            """);

        using var response = await PutManifestAsync("typed", body, contentType);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("MANIFEST_INVALID", await ErrorCodeAsync(response));
    }

    [Fact]
    public async Task Upload_WithContentLengthLongerThanTheBody_CommitsNothing()
    {
        var blob = Encoding.UTF8.GetBytes("short body");
        var head = $"POST /v2/team/app/blobs/uploads/?digest={DigestOf(blob)} HTTP/1.1\nHost: {_registry.HostPort}\nContent-Type: application/octet-stream\nContent-Length: 1000\n";

        await SendOnSocketAsync(_registry, head, blob, closeAfterSending: true);
        using var check = await _registry.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/team/app/blobs/{DigestOf(blob)}"));

        Assert.Equal(HttpStatusCode.NotFound, check.StatusCode);
    }

    [Fact]
    public async Task Upload_WithContentLengthShorterThanTheBody_StoresOnlyTheDeclaredBytes()
    {
        var blob = Encoding.UTF8.GetBytes("declared part");
        var trailing = Encoding.UTF8.GetBytes("and then some smuggled bytes");
        var head = $"POST /v2/team/app/blobs/uploads/?digest={DigestOf(blob)} HTTP/1.1\nHost: {_registry.HostPort}\nContent-Type: application/octet-stream\nContent-Length: {blob.Length}\n";

        var answer = await SendOnSocketAsync(_registry, head, [.. blob, .. trailing], closeAfterSending: false);
        using var stored = await _registry.Client.GetAsync($"/v2/team/app/blobs/{DigestOf(blob)}");

        // The declared bytes are the blob; the rest is read as a next request (and refused as malformed HTTP).
        Assert.StartsWith("HTTP/1.1 201", answer, StringComparison.Ordinal);
        Assert.Equal(blob, await stored.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Patch_WithContentRangeDisagreeingWithLength_IsRangeNotSatisfiable()
    {
        using var started = await _registry.Client.PostAsync("/v2/team/app/blobs/uploads/", content: null);
        var location = started.Headers.Location!.ToString();
        var content = new ByteArrayContent(new byte[10]);
        content.Headers.ContentRange = null;
        using var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = content };
        request.Content.Headers.TryAddWithoutValidation("Content-Range", "0-99");

        using var response = await _registry.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("BLOB_UPLOAD_INVALID", await ErrorCodeAsync(response));
    }

    [Theory]
    [InlineData("bytes=5-2")]
    [InlineData("bytes=-0")]
    [InlineData("bytes=0-1,1-2")]
    [InlineData("bytes=0-5,3-8")]
    [InlineData("bytes=-5-3")]
    [InlineData("bytes=--1")]
    [InlineData("bytes=100-200")]
    [InlineData("bytes=99999999999999999999-")]
    public async Task BlobGet_WithUnsatisfiableOrOverlappingRange_Is416(string range)
    {
        var blob = Encoding.UTF8.GetBytes("0123456789");
        (await PushBlobAsync(_registry, "team/app", blob, auth: null)).Dispose();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/team/app/blobs/{DigestOf(blob)}");
        request.Headers.TryAddWithoutValidation("Range", range);

        using var response = await _registry.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("bytes */10", response.Content.Headers.ContentRange?.ToString());
    }

    private async Task<HttpResponseMessage> PutManifestAsync(string tag, byte[] body, string contentType = "application/vnd.oci.image.manifest.v1+json")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await _registry.Client.PutAsync($"/v2/team/app/manifests/{tag}", content);
    }
}
