using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace OciRegistry.Interop.Tests.MultiInstance;

/// <summary>
/// What a Kubernetes Service does in front of several replicas, made strict: a reverse proxy (YARP's forwarder on
/// Kestrel, <c>127.0.0.1:0</c>) that sends each request to the next instance in turn, so consecutive requests of one
/// upload land on different instances. It records which instance answered each request; an instance taken out of
/// rotation (<see cref="Remove"/>, as a failed readiness probe would) gets no more requests.
/// </summary>
internal sealed class RoundRobinFront : IAsyncDisposable
{
    // The PUT that ends a GiB upload begun elsewhere answers only after the instance has read the bytes back to hash them:
    // a hang guard, not the forwarder's default of 100 s without a byte.
    private static readonly ForwarderRequestConfig Patient = new() { ActivityTimeout = TimeSpan.FromMinutes(10) };

    private readonly WebApplication _app;
    private readonly HttpMessageInvoker _invoker;
    private readonly IReadOnlyList<string> _instances;
    private readonly ConcurrentQueue<ForwardedRequest> _forwarded = new();
    private readonly object _rotation = new();
    private readonly List<int> _live;
    private int _next;

    private RoundRobinFront(WebApplication app, HttpMessageInvoker invoker, IReadOnlyList<string> instances)
    {
        _app = app;
        _invoker = invoker;
        _instances = instances;
        _live = [.. Enumerable.Range(0, instances.Count)];
    }

    /// <summary>The front's <c>host:port</c>, for clients such as skopeo.</summary>
    public string HostPort => new Uri(Address).Authority;

    /// <summary>The front's base address.</summary>
    public string Address => _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();

    /// <summary>Every request forwarded so far, in completion order.</summary>
    public IReadOnlyList<ForwardedRequest> Forwarded => [.. _forwarded];

    /// <summary>Starts a front over the instances at <paramref name="instances"/> (base addresses, in instance order).</summary>
    public static async Task<RoundRobinFront> StartAsync(IReadOnlyList<string> instances)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = null; // layers pass through whole
        });
        builder.Services.AddHttpForwarder();
        var app = builder.Build();
        var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = null,
        });
        var front = new RoundRobinFront(app, invoker, instances);
        app.Run(front.ForwardAsync);
        await app.StartAsync();
        return front;
    }

    /// <summary>Takes instance <paramref name="instance"/> out of rotation.</summary>
    public void Remove(int instance)
    {
        lock (_rotation)
        {
            _live.Remove(instance);
        }
    }

    /// <summary>
    /// The upload sessions whose requests (the POST that started it, its PATCHes and PUT) were answered by more than
    /// one instance, each with the instances in request order.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<int>> UploadsSpreadOverInstances()
    {
        var byUpload = new Dictionary<string, List<int>>();
        foreach (var request in Forwarded.Where(r => r.UploadId is not null))
        {
            if (!byUpload.TryGetValue(request.UploadId!, out var instances))
            {
                byUpload[request.UploadId!] = instances = [];
            }

            instances.Add(request.Instance);
        }

        return byUpload.Where(u => u.Value.Distinct().Count() > 1).ToDictionary(u => u.Key, u => (IReadOnlyList<int>)u.Value);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _invoker.Dispose();
    }

    private async Task ForwardAsync(HttpContext context)
    {
        int instance;
        lock (_rotation)
        {
            instance = _live[_next++ % _live.Count];
        }

        var forwarder = context.RequestServices.GetRequiredService<IHttpForwarder>();
        var error = await forwarder.SendAsync(context, _instances[instance], _invoker, Patient, HttpTransformer.Default);
        _forwarded.Enqueue(new ForwardedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? string.Empty,
            instance,
            context.Response.StatusCode,
            error,
            UploadIdOf(context)));
    }

    // A session's requests name it in their path (.../blobs/uploads/<id>); the POST that starts it, in its Location.
    private static string? UploadIdOf(HttpContext context)
    {
        const string Marker = "/blobs/uploads/";
        var path = context.Request.Method == HttpMethods.Post
            ? new Uri(new Uri("http://front"), context.Response.Headers.Location.ToString()).AbsolutePath
            : context.Request.Path.Value ?? string.Empty;
        var at = path.IndexOf(Marker, StringComparison.Ordinal);
        return at >= 0 && path.Length > at + Marker.Length ? path[(at + Marker.Length)..] : null;
    }
}

/// <summary>One request the front forwarded: where it went and how it ended.</summary>
internal sealed record ForwardedRequest(string Method, string Path, int Instance, int Status, ForwarderError Error, string? UploadId);
