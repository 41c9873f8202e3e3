using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace OciRegistry.AspNetCore.Http;

/// <summary>Writes small JSON bodies (tag lists, catalog, referrers) with an exact Content-Length.</summary>
internal static class JsonResponses
{
    public static async Task WriteAsync<TState>(HttpContext context, string contentType, TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json, state);
        }

        var response = context.Response;
        response.ContentType = contentType;
        response.ContentLength = buffer.WrittenCount;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
