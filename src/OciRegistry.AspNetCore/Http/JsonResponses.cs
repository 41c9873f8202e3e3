using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace OciRegistry.AspNetCore.Http;

/// <summary>Writes small JSON bodies (tag lists, catalog, referrers, errors, tokens) with an exact Content-Length.</summary>
internal static class JsonResponses
{
    // The default encoder escapes HTML-sensitive characters, so media types came out as "v1\u002Bjson" and clients that
    // compare strings without decoding (and the spec's conformance suite) saw another value. The relaxed encoder still
    // escapes quotes, backslashes and control characters, everything JSON itself needs; what it leaves alone only
    // matters when JSON is pasted into an HTML page. These bodies never are: they go out as application/json, and
    // every /v2/ answer carries X-Content-Type-Options: nosniff, so no browser renders them as HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync<TState>(HttpContext context, string contentType, TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
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
