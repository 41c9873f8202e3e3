using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OciRegistry.Interop.Tests.Infrastructure;

/// <summary>Middleware hook that records every request the registry receives.</summary>
internal sealed class RequestRecorder
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Every request so far, one a line, for assertion messages.</summary>
    public string Describe() => string.Join('\n', _requests);

    /// <summary>Adds the recording middleware to <paramref name="app"/> (pass as <c>InProcessRegistryOptions.App</c>).</summary>
    public void Attach(WebApplication app) =>
        app.Use((HttpContext context, RequestDelegate next) =>
        {
            _requests.Enqueue(new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? string.Empty, context.Request.QueryString.Value ?? string.Empty));
            return next(context);
        });

    /// <summary>Forgets the requests recorded so far.</summary>
    public void Clear() => _requests.Clear();
}
