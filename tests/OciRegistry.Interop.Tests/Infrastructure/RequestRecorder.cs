using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OciRegistry.Interop.Tests.Infrastructure;

/// <summary>Middleware hook that records every request the registry answers, with its status, in completion order.</summary>
internal sealed class RequestRecorder
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    /// <summary>Every request answered so far, in completion order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Every request so far, one a line, for assertion messages.</summary>
    public string Describe() => string.Join('\n', _requests);

    /// <summary>Adds the recording middleware to <paramref name="app"/> (pass as <c>InProcessRegistryOptions.App</c>).</summary>
    public void Attach(WebApplication app) =>
        app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            var request = context.Request;
            var method = request.Method;
            var path = request.Path.Value ?? string.Empty;
            var query = request.QueryString.Value ?? string.Empty;
            await next(context);
            _requests.Enqueue(new RecordedRequest(method, path, query, context.Response.StatusCode));
        });

    /// <summary>Forgets the requests recorded so far.</summary>
    public void Clear() => _requests.Clear();
}
