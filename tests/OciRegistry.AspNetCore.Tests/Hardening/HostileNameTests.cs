using System.Net;
using System.Text;
using OciRegistry.AspNetCore.Tests.Authorization;
using OciRegistry.Testing;
using static OciRegistry.AspNetCore.Tests.Hardening.HostileRequests;

namespace OciRegistry.AspNetCore.Tests.Hardening;

/// <summary>Path-like repository names never reach the file system, inside the data folder or outside it.</summary>
public sealed class HostileNameTests : IAsyncLifetime
{
    private const string Marker = "escaped-7f3a";
    private InProcessRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await InProcessRegistry.StartAsync(o => o.UseFileSystem = true);

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    public static TheoryData<string> InvalidNames() =>
    [
        $"team%2F..%2F..%2F{Marker}",
        $"team%2f%2e%2e%2f{Marker}",
        $"/tmp/{Marker}",
        $"%2Ftmp%2F{Marker}",
        $"team\\..\\..\\{Marker}",
        $"team%5C..%5C{Marker}",
        $"team%EF%BC%8F..%EF%BC%8F{Marker}",
        $"team/%E2%80%A4%E2%80%A4/{Marker}",
        $"team/{Marker}%00",
        $"Team/{Marker}",
        $"team//{Marker}",
        $"team/.{Marker}",
        $"team/{Marker}/",
    ];

    public static TheoryData<string> DotSegmentNames() =>
    [
        $"../{Marker}",
        $"%2e%2e/{Marker}",
        $"team/../../{Marker}",
        $"team/%2e%2e/%2E%2E/../{Marker}",
    ];

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public async Task Rejects_PathLikeNames_WithNameInvalid_AndWritesNothing(string name)
    {
        var blob = Encoding.UTF8.GetBytes("hostile " + name);

        using var upload = await SendRawPathAsync(_registry, HttpMethod.Post, $"/v2/{name}/blobs/uploads/");
        using var monolithic = await SendRawPathAsync(_registry, HttpMethod.Post, $"/v2/{name}/blobs/uploads/?digest={AuthRequests.DigestOf(blob)}", new ByteArrayContent(blob));
        using var manifest = await SendRawPathAsync(_registry, HttpMethod.Put, $"/v2/{name}/manifests/latest", new StringContent("{}", Encoding.UTF8, "application/vnd.oci.image.manifest.v1+json"));

        foreach (var response in new[] { upload, monolithic, manifest })
        {
            Assert.True(
                response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound,
                $"{response.RequestMessage!.Method} {name}: {(int)response.StatusCode}");
            // Kestrel itself refuses some (a NUL in the path) before the registry sees them, without a JSON body.
            if (response.StatusCode == HttpStatusCode.BadRequest && response.Content.Headers.ContentType?.MediaType == "application/json")
            {
                Assert.Equal("NAME_INVALID", await AuthRequests.ErrorCodeAsync(response));
            }
        }

        Assert.Equal(HttpStatusCode.BadRequest, upload.StatusCode);
        AssertNothingNamedMarkerAnywhere();
    }

    [Theory]
    [MemberData(nameof(DotSegmentNames))]
    public async Task DotSegments_NeverLeaveTheDataFolder(string name)
    {
        using var upload = await SendRawPathAsync(_registry, HttpMethod.Post, $"/v2/{name}/blobs/uploads/");

        // The server removes dot segments before routing: what remains is either outside /v2/ (404) or an
        // ordinary name inside the registry; never a path outside the data folder.
        Assert.True(upload.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest or HttpStatusCode.Accepted, $"{name}: {(int)upload.StatusCode}");
        var outside = Directory.GetParent(AuthRequests.DataFolder(_registry))!.FullName;
        Assert.Empty(Directory.GetFileSystemEntries(outside, $"*{Marker}*"));
    }

    private void AssertNothingNamedMarkerAnywhere()
    {
        var root = AuthRequests.DataFolder(_registry);
        Assert.DoesNotContain(AuthRequests.FilesOf(_registry), path => path.Contains(Marker, StringComparison.Ordinal));
        Assert.Empty(Directory.GetFileSystemEntries(Directory.GetParent(root)!.FullName, $"*{Marker}*"));
        Assert.False(Directory.Exists($"/tmp/{Marker}"));
    }
}
