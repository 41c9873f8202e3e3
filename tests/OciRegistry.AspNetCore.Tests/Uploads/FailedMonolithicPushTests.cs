using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.AspNetCore.Tests.Support;
using OciRegistry.Core.Storage;
using OciRegistry.Testing;

namespace OciRegistry.AspNetCore.Tests.Uploads;

/// <summary>
/// A monolithic push (<c>POST ?digest=</c>) never tells the client its session's id, so a push that ends short must not
/// leave the session behind: orphans would count against the session limits until they expire.
/// </summary>
public sealed class FailedMonolithicPushTests
{
    private const string Digest = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

    [Theory]
    [MemberData(nameof(Registries.Stores), MemberType = typeof(Registries))]
    public async Task APushThatHangsUpMidBody_LeavesNoSession_AndFreesItsPlaceUnderTheLimit(bool fileSystem)
    {
        await using var registry = await Registries.StartAsync(fileSystem, o => o.Registry = r => r.MaxUploadSessions = 1);
        var sessions = registry.Services.GetRequiredService<IUploadSessionStore>();

        for (var i = 0; i < 3; i++)
        {
            await RawHttp.SendAndHangUpAsync(
                registry.BaseAddress,
                $"POST /v2/orphans/app/blobs/uploads/?digest={Digest} HTTP/1.1\r\nHost: {{host}}\r\nContent-Length: 1000000\r\n\r\n",
                new byte[1000]);

            // The session existed when the server asked for the body; it notices the hang-up on its own time: wait for
            // the session's row to go (or the test's patience to end). The row, which the limit counts, is what a
            // discarded push ends last (its bytes go first), so waiting for the bytes alone let the next POST through
            // while the row was still there: a 429 on a loaded machine.
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while ((await sessions.ListUploadSessionsAsync(patience.Token).ToListAsync(patience.Token)).Count > 0)
            {
                await Task.Delay(20, patience.Token);
            }
        }

        using var next = await registry.Client.PostAsync("/v2/orphans/app/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, next.StatusCode);
    }

    [Fact]
    public async Task APushWithTheWrongDigest_LeavesNoSession()
    {
        await using var registry = await Registries.StartAsync(fileSystem: true);

        using var response = await registry.Client.PostAsync($"/v2/orphans/app/blobs/uploads/?digest={Digest}", RegistryClient.Octets([1, 2, 3]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await registry.Services.GetRequiredService<IUploadStore>().ListAsync().ToListAsync());
    }
}
