using System.Diagnostics;

namespace OciRegistry.Server;

/// <summary>
/// One structured log line per request: method, path with its query string (<c>?digest=</c>, <c>?mount=&amp;from=</c>,
/// <c>?ns=</c> explain what a push or pull did; values of secret-looking parameters are redacted), status, bytes sent
/// and received, duration.
/// </summary>
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
            if (logger.IsEnabled(LogLevel.Information))
            {
                Log.Request(
                    logger,
                    context.Request.Method,
                    context.Request.Path.Value ?? "",
                    RedactedQuery.Of(context.Request.QueryString),
                    context.Response.StatusCode,
                    context.Request.ContentLength ?? 0,
                    context.Response.ContentLength ?? 0,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Path}{Query} {Status} in={BytesIn} out={BytesOut} {DurationMs:F1}ms")]
        public static partial void Request(ILogger logger, string method, string path, string query, int status, long bytesIn, long bytesOut, double durationMs);
    }
}
