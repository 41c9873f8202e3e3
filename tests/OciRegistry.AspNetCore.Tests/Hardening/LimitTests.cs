using System.Net;
using System.Text.Json;
using OciRegistry.Testing;
using static OciRegistry.AspNetCore.Tests.Authorization.AuthRequests;

namespace OciRegistry.AspNetCore.Tests.Hardening;

/// <summary>The configurable limits hold against callers asking for more.</summary>
public sealed class LimitTests : IAsyncLifetime
{
    private InProcessRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await InProcessRegistry.StartAsync(o =>
    {
        o.UseFileSystem = true;
        o.Registry = registry =>
        {
            registry.MaxPageSize = 3;
            registry.MaxBlobBytes = 1024;
        };
    });

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Theory]
    [InlineData("1000000")]
    [InlineData("2147483647")]
    public async Task HugePageSize_IsCutToMaxPageSize(string n)
    {
        for (var i = 0; i < 5; i++)
        {
            (await PushImageAsync(_registry, $"limits/repo{i}", "1", auth: null)).Dispose();
        }

        using var response = await _registry.Client.GetAsync($"/v2/_catalog?n={n}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, json.RootElement.GetProperty("repositories").GetArrayLength());
        Assert.NotNull(response.Headers.GetValues("Link").Single());
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("99999999999999999999")]
    public async Task MalformedPageSize_IsATypedError(string n)
    {
        using var response = await _registry.Client.GetAsync($"/v2/_catalog?n={n}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty(await ErrorCodeAsync(response));
    }

    [Fact]
    public async Task BlobLargerThanMaxBlobBytes_IsRefused_AndNotStored()
    {
        var blob = new byte[4096];
        Random.Shared.NextBytes(blob);

        using var response = await PushBlobAsync(_registry, "limits/big", blob, auth: null);
        using var head = await _registry.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/limits/big/blobs/{DigestOf(blob)}"));

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode}");
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task UploadSessionsBeyondMaxUploadSessions_Answer429_UntilOneEnds()
    {
        await using var registry = await InProcessRegistry.StartAsync(o =>
        {
            o.UseFileSystem = true;
            o.Registry = r => r.MaxUploadSessions = 2;
        });
        using var first = await registry.Client.PostAsync("/v2/limits/a/blobs/uploads/", null);
        using var second = await registry.Client.PostAsync("/v2/limits/b/blobs/uploads/", null);

        using var third = await registry.Client.PostAsync("/v2/limits/c/blobs/uploads/", null);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal((HttpStatusCode)429, third.StatusCode);
        Assert.Equal("TOOMANYREQUESTS", await ErrorCodeAsync(third));
        Assert.Null(third.Headers.Location);

        using var cancelled = await registry.Client.DeleteAsync(first.Headers.Location);
        using var fourth = await registry.Client.PostAsync("/v2/limits/c/blobs/uploads/", null);

        Assert.Equal(HttpStatusCode.NoContent, cancelled.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, fourth.StatusCode);
    }
}
