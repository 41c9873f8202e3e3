using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OciRegistry.AspNetCore.Tests.Support;
using OciRegistry.Core.Storage;
using OciRegistry.Testing;

namespace OciRegistry.AspNetCore.Tests.Hardening;

/// <summary>A body whose chunked framing is broken is the client's fault: 400 with the spec's JSON error, no error log.</summary>
public sealed class MalformedBodyTests
{
    private const string Digest = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

    [Theory]
    [InlineData("POST", "/v2/framing/app/blobs/uploads/?digest=" + Digest, "BLOB_UPLOAD_INVALID")]
    [InlineData("PUT", "/v2/framing/app/manifests/v1", "MANIFEST_INVALID")]
    public async Task AHugeChunkSize_Answers400WithJson_AndLogsNothingAtErrorLevel(string method, string target, string code)
    {
        await using var registry = await InProcessRegistry.StartAsync(o => o.Services = services => services.AddFakeLogging());

        var (status, response) = await RawHttp.SendRawAsync(
            registry.BaseAddress,
            $"{method} {target} HTTP/1.1\r\nHost: {{host}}\r\nTransfer-Encoding: chunked\r\nContent-Type: application/octet-stream\r\n\r\n",
            Encoding.ASCII.GetBytes("ffffffffffffffffff\r\nabc\r\n0\r\n\r\n"));

        Assert.Equal(400, status);
        Assert.Contains("application/json", response, StringComparison.Ordinal);
        Assert.Contains($"\"code\":\"{code}\"", response, StringComparison.Ordinal);
        var logs = registry.Services.GetFakeLogCollector().GetSnapshot();
        Assert.DoesNotContain(logs, log => log.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task AMonolithicPushWithBrokenFraming_LeavesNoUploadSession()
    {
        await using var registry = await InProcessRegistry.StartAsync(o => o.UseFileSystem = true);

        var (status, _) = await RawHttp.SendRawAsync(
            registry.BaseAddress,
            $"POST /v2/framing/app/blobs/uploads/?digest={Digest} HTTP/1.1\r\nHost: {{host}}\r\nTransfer-Encoding: chunked\r\n\r\n",
            Encoding.ASCII.GetBytes("5\r\nhello\r\nzz\r\n"));

        Assert.Equal(400, status);
        Assert.Empty(await registry.Services.GetRequiredService<IUploadStore>().ListAsync().ToListAsync());
    }
}
