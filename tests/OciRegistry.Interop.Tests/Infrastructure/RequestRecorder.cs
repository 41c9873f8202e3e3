using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OciRegistry.Interop.Tests.Infrastructure;

/// <summary>Middleware hook that records every request the registry receives as <c>METHOD /path?query</c>.</summary>
internal sealed class RequestRecorder
{
    private readonly ConcurrentQueue<string> _requests = new();

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>Adds the recording middleware to <paramref name="app"/> (pass as <c>InProcessRegistryOptions.App</c>).</summary>
    public void Attach(WebApplication app) =>
        app.Use((HttpContext context, RequestDelegate next) =>
        {
            _requests.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            return next(context);
        });

    /// <summary>Forgets the requests recorded so far.</summary>
    public void Clear() => _requests.Clear();
}
