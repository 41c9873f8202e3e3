using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OciRegistry.AspNetCore.Authorization;
using OciRegistry.AspNetCore.Tests.Support;
using OciRegistry.Core.Operations;
using OciRegistry.Core.Storage;
using OciRegistry.Testing;
using static OciRegistry.AspNetCore.Tests.Authorization.AuthRequests;

namespace OciRegistry.AspNetCore.Tests.Uploads;

/// <summary>
/// Sessions left open count against the client that left them (429 for it alone), and expired ones are removed on a
/// schedule by default, so no one client can keep everyone from pushing.
/// </summary>
public sealed class UploadSessionLimitTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("oci-session-limits-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task AClientAtItsSessionLimit_Gets429_WhileOthersStillPush()
    {
        var htpasswd = WriteHtpasswd(_folder, ("alice", "alice-secret"), ("bob", "bob-secret"));
        await using var registry = await InProcessRegistry.StartAsync(o =>
        {
            o.Registry = r => r.MaxUploadSessionsPerClient = 2;
            o.Services = services => services.AddOciRegistry().AddBasicAuthentication(basic =>
            {
                basic.HtpasswdPath = htpasswd;
                basic.Access.Add(new AccessRule { User = "*", Repositories = "team/*", Actions = ["push"] });
            });
        });
        var alice = Basic("alice", "alice-secret");

        using var first = await SendAsync(registry, HttpMethod.Post, "/v2/team/app/blobs/uploads/", alice);
        using var second = await SendAsync(registry, HttpMethod.Post, "/v2/team/app/blobs/uploads/", alice);
        using var third = await SendAsync(registry, HttpMethod.Post, "/v2/team/app/blobs/uploads/", alice);
        using var bobs = await SendAsync(registry, HttpMethod.Post, "/v2/team/app/blobs/uploads/", Basic("bob", "bob-secret"));
        using var cancelled = await SendAsync(registry, HttpMethod.Delete, first.Headers.Location!.OriginalString, alice);
        using var again = await SendAsync(registry, HttpMethod.Post, "/v2/team/app/blobs/uploads/", alice);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal("TOOMANYREQUESTS", await ErrorCodeAsync(third));
        Assert.Equal(HttpStatusCode.Accepted, bobs.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, cancelled.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
    }

    [Fact]
    public async Task AnonymousClients_AreCountedByAddress()
    {
        await using var registry = await Registries.StartAsync(configure: o => o.Registry = r => r.MaxUploadSessionsPerClient = 1);

        using var first = await registry.Client.PostAsync("/v2/team/app/blobs/uploads/", null);
        using var second = await registry.Client.PostAsync("/v2/team/app/blobs/uploads/", null);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
    }

    [Fact]
    public async Task SessionsThatEnded_StopCounting_WhetherFinishedCancelledOrRefused()
    {
        await using var registry = await Registries.StartAsync(configure: o => o.Registry = r => r.MaxUploadSessionsPerClient = 1);
        var blob = "one blob after another"u8.ToArray();

        var statuses = new List<HttpStatusCode>();
        foreach (var digest in new[] { DigestOf(blob), DigestOf(blob), "sha256:" + new string('0', 64) })
        {
            using var started = await registry.Client.PostAsync("/v2/team/app/blobs/uploads/", null);
            using var finished = await registry.Client.PutAsync($"{started.Headers.Location!.OriginalString}?digest={digest}", new ByteArrayContent(blob));
            statuses.Add(started.StatusCode);
            statuses.Add(finished.StatusCode);
        }

        using var cancelling = await registry.Client.PostAsync("/v2/team/app/blobs/uploads/", null);
        using var cancelled = await registry.Client.DeleteAsync(cancelling.Headers.Location!.OriginalString);
        using var last = await registry.Client.PostAsync("/v2/team/app/blobs/uploads/", null);
        statuses.AddRange([cancelling.StatusCode, cancelled.StatusCode, last.StatusCode]);

        Assert.Equal(
            [
                HttpStatusCode.Accepted, HttpStatusCode.Created,
                HttpStatusCode.Accepted, HttpStatusCode.Created,
                HttpStatusCode.Accepted, HttpStatusCode.BadRequest,
                HttpStatusCode.Accepted, HttpStatusCode.NoContent,
                HttpStatusCode.Accepted,
            ],
            statuses);
    }

    [Fact]
    public async Task ExpiredSessions_AreRemovedOnADefaultSchedule_AndFreeTheirPlaces()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var registry = await Registries.StartAsync(fileSystem: true, o =>
        {
            o.Registry = r => r.MaxUploadSessionsPerClient = 1;
            o.Services = services => services.AddSingleton<TimeProvider>(clock);
        });
        var defaults = new RegistryOptions();
        var uploads = registry.Services.GetRequiredService<IUploadStore>();
        using var abandoned = await registry.Client.PostAsync("/v2/team/app/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, abandoned.StatusCode);

        clock.Advance(defaults.UploadSessionLifetime + defaults.UploadSessionCleanupInterval!.Value);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await uploads.ListAsync(patience.Token).ToListAsync(patience.Token)).Count > 0)
        {
            await Task.Delay(20, patience.Token);
        }

        using var next = await registry.Client.PostAsync("/v2/team/app/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, next.StatusCode);
    }
}
