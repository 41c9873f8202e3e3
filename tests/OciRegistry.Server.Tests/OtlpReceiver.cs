using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OciRegistry.Server.Tests;

/// <summary>
/// A collector's OTLP/HTTP endpoint on 127.0.0.1: keeps each export's body by signal (<c>traces</c>, <c>metrics</c>,
/// <c>logs</c>). OTLP's protobuf writes strings (span names, attribute values) as plain UTF-8, so the test reads them
/// from the bytes without a protobuf library.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Signal, string Body)> _exports = new();

    private OtlpReceiver(WebApplication app)
    {
        _app = app;
    }

    public string Endpoint => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            receiver._exports.Enqueue((signal, Encoding.UTF8.GetString(body.ToArray())));
            return Results.Ok();
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Waits until an export of <paramref name="signal"/> has every one of <paramref name="texts"/> (exports arrive periodically).</summary>
    public async Task<string> WaitForAsync(string signal, params string[] texts)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // a hang guard, not a timing assertion
        while (true)
        {
            var received = string.Concat(_exports.Where(e => e.Signal == signal).Select(e => e.Body));
            if (texts.All(text => received.Contains(text, StringComparison.Ordinal)))
            {
                return received;
            }

            await Task.Delay(100, guard.Token);
        }
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
