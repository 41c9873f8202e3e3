using System.Buffers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OciRegistry.Benchmarks.Mirror;

/// <summary>
/// The bound a pull-through mirror's cold pull is held to (<c>benchmarks/compare-mirror.sh --relay-bound</c>): the least
/// a mirror must do, as a bare HTTP relay with nothing of a registry in it. A GET of <c>/v2/MODE/...</c> is sent to the
/// upstream's <c>/v2/...</c> and its body copied to the client through one 1 MiB buffer, as the mirror's fill reads it; MODE adds the
/// work a mirror cannot skip: <c>relay</c> nothing, <c>hash</c> SHA-256 of every byte, <c>write</c> SHA-256 and a
/// positional write of every byte to a file (deleted when the response ends). <c>/v2/</c> answers 200, to show it is up.
/// </summary>
internal static class RelayBound
{
    private const string Usage = "mirror-relay-bound LISTEN_URL UPSTREAM_URL FOLDER    relays GET /v2/{relay|hash|write}/... to UPSTREAM_URL/v2/...; writes into FOLDER";
    private const int ReadBytes = 1024 * 1024;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not [var listenUrl, var upstreamUrl, var folder])
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(listenUrl);
        using var upstream = new HttpClient { BaseAddress = new Uri(upstreamUrl) };
        await using var app = builder.Build();
        app.MapGet("/v2/", () => Results.Ok());
        app.MapGet("/v2/{mode}/{**path}", (HttpContext context, string mode, string path) =>
            RelayAsync(upstream, context, mode, path, folder));
        await app.RunAsync();
        return 0;
    }

    private static async Task RelayAsync(HttpClient upstream, HttpContext context, string mode, string path, string folder)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v2/" + path);
        foreach (var accept in context.Request.Headers.Accept)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
        context.Response.ContentLength = response.Content.Headers.ContentLength;
        await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        using var hash = mode is "hash" or "write" ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        using var file = mode is "write"
            ? File.OpenHandle(Path.Combine(folder, $"relay-{Guid.NewGuid():N}"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose)
            : null;
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBytes);
        try
        {
            long written = 0;
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(0, ReadBytes), context.RequestAborted)) > 0)
            {
                hash?.AppendData(buffer, 0, read);
                if (file is not null)
                {
                    await RandomAccess.WriteAsync(file, buffer.AsMemory(0, read), written, context.RequestAborted);
                }

                written += read;
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
