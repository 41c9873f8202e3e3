using System.Diagnostics;

namespace OciRegistry.Server;

/// <summary>One structured log line per request: method, path, status, bytes sent and received, duration.</summary>
internal sealed partial class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            Log.Request(
                logger,
                context.Request.Method,
                context.Request.Path.Value ?? "",
                context.Response.StatusCode,
                context.Request.ContentLength ?? 0,
                context.Response.ContentLength ?? 0,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Path} {Status} in={BytesIn} out={BytesOut} {DurationMs:F1}ms")]
        public static partial void Request(ILogger logger, string method, string path, int status, long bytesIn, long bytesOut, double durationMs);
    }
}
