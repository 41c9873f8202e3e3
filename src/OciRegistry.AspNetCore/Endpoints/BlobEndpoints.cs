using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using OciRegistry.AspNetCore.Http;
using OciRegistry.AspNetCore.Routing;
using OciRegistry.Core.Errors;
using OciRegistry.Core.Operations;

namespace OciRegistry.AspNetCore.Endpoints;

/// <summary>
/// <c>GET|HEAD|DELETE /v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>, with single byte ranges; a GET may be redirected to the
/// blob store (<see cref="BlobOperations.FindRedirectAsync"/>).
/// </summary>
internal sealed class BlobEndpoints(BlobOperations blobs)
{
    public async Task HeadAsync(HttpContext context, RegistryRoute route)
    {
        var size = await blobs.StatAsync(route.Repository, route.Argument, context.RequestAborted).ConfigureAwait(false);
        if (!size.IsSuccess)
        {
            await ErrorResponses.WriteAsync(context, size.Error).ConfigureAwait(false);
            return;
        }

        var range = ByteRange.Parse(context.Request.Headers.Range, size.Value, out var satisfiable);
        await WriteHeadersAsync(context, route.Argument, size.Value, range, satisfiable).ConfigureAwait(false);
    }

    public async Task GetAsync(HttpContext context, RegistryRoute route)
    {
        if (await blobs.FindRedirectAsync(route.Repository, route.Argument, context.RequestAborted).ConfigureAwait(false) is { } redirect)
        {
            // 307 keeps the method and the client's Range header; the digest lets the client check what it reads there.
            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            context.Response.Headers.Location = redirect.AbsoluteUri;
            context.Response.Headers[RegistryHeaders.ContentDigest] = route.Argument;
            return;
        }

        var opened = await blobs.OpenAsync(route.Repository, route.Argument, context.RequestAborted).ConfigureAwait(false);
        if (!opened.IsSuccess)
        {
            await ErrorResponses.WriteAsync(context, opened.Error).ConfigureAwait(false);
            return;
        }

        await using var content = opened.Value;
        var range = ByteRange.Parse(context.Request.Headers.Range, content.Length, out var satisfiable);
        if (!await WriteHeadersAsync(context, route.Argument, content.Length, range, satisfiable).ConfigureAwait(false))
        {
            return;
        }

        var (offset, length) = range is { } r ? (r.Start, r.Length) : (0L, content.Length);
        await BlobStreaming.CopyAsync(content, offset, length, context.Response.BodyWriter, context.RequestAborted).ConfigureAwait(false);
    }

    public async Task DeleteAsync(HttpContext context, RegistryRoute route) =>
        await EmptyResponses.WriteAsync(
            context,
            await blobs.DeleteAsync(route.Repository, route.Argument, context.RequestAborted).ConfigureAwait(false),
            StatusCodes.Status202Accepted).ConfigureAwait(false);

    // Returns false when the answer is complete without a body (416).
    private static async Task<bool> WriteHeadersAsync(HttpContext context, string digest, long size, ByteRange? range, bool satisfiable)
    {
        var response = context.Response;
        response.Headers[HeaderNames.AcceptRanges] = "bytes";
        response.Headers[RegistryHeaders.ContentDigest] = digest;
        response.Headers[HeaderNames.ETag] = $"\"{digest}\"";
        response.Headers[HeaderNames.CacheControl] = "max-age=31536000";
        if (!satisfiable)
        {
            response.Headers[HeaderNames.ContentRange] = $"bytes */{size}";
            await ErrorResponses.WriteAsync(
                context,
                new RegistryError(RegistryErrorCode.SizeInvalid, $"requested range not satisfiable for a blob of {size} bytes"),
                StatusCodes.Status416RangeNotSatisfiable).ConfigureAwait(false);
            return false;
        }

        response.ContentType = "application/octet-stream";
        if (range is { } r)
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers[HeaderNames.ContentRange] = $"bytes {r.Start}-{r.End}/{size}";
            response.ContentLength = r.Length;
        }
        else
        {
            response.ContentLength = size;
        }

        return true;
    }
}
