using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using OciRegistry.AspNetCore.Http;
using OciRegistry.AspNetCore.Routing;
using OciRegistry.Core.Errors;
using OciRegistry.Core.Operations;
using OciRegistry.Core.References;
using OciRegistry.Core.Storage;

namespace OciRegistry.AspNetCore.Endpoints;

/// <summary><c>GET|HEAD|PUT|DELETE /v2/&lt;name&gt;/manifests/&lt;reference&gt;</c>, and <c>PUT ...&lt;digest&gt;?tag=a&amp;tag=b</c>.</summary>
internal sealed class ManifestEndpoints(ManifestOperations manifests, IOptions<RegistryOptions> options)
{
    /// <summary>The most <c>tag</c> query parameters one manifest push may carry.</summary>
    public const int MaxTagsPerPush = 100;

    public async Task HeadAsync(HttpContext context, RegistryRoute route)
    {
        var resolved = await manifests.ResolveAsync(route.Repository, route.Argument, context.RequestAborted).ConfigureAwait(false);
        if (!resolved.IsSuccess)
        {
            await ErrorResponses.WriteAsync(context, resolved.Error).ConfigureAwait(false);
            return;
        }

        WriteHeaders(context.Response, resolved.Value);
    }

    public async Task GetAsync(HttpContext context, RegistryRoute route)
    {
        var found = await manifests.GetAsync(route.Repository, route.Argument, context.RequestAborted).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            await ErrorResponses.WriteAsync(context, found.Error).ConfigureAwait(false);
            return;
        }

        WriteHeaders(context.Response, found.Value.Record);
        await context.Response.Body.WriteAsync(found.Value.Bytes, context.RequestAborted).ConfigureAwait(false);
    }

    public async Task PutAsync(HttpContext context, RegistryRoute route)
    {
        var maxBytes = options.Value.MaxManifestBytes;
        var body = await ReadBodyAsync(context.Request, maxBytes, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await ErrorResponses.WriteAsync(
                context,
                RegistryError.ManifestInvalid($"the manifest is larger than the registry's limit of {maxBytes} bytes"),
                StatusCodes.Status413PayloadTooLarge).ConfigureAwait(false);
            return;
        }

        var tags = TagParameters(context, route);
        if (CheckTags(tags) is { } tagError)
        {
            await ErrorResponses.WriteAsync(context, tagError.Error, tagError.Status).ConfigureAwait(false);
            return;
        }

        var pushed = await manifests.PutAsync(route.Repository, route.Argument, context.Request.ContentType, body, context.RequestAborted).ConfigureAwait(false);
        if (!pushed.IsSuccess)
        {
            await ErrorResponses.WriteAsync(context, pushed.Error).ConfigureAwait(false);
            return;
        }

        var response = context.Response;
        foreach (var tag in tags)
        {
            var tagged = await manifests.PutAsync(route.Repository, tag!, context.Request.ContentType, body, context.RequestAborted).ConfigureAwait(false);
            if (!tagged.IsSuccess)
            {
                await ErrorResponses.WriteAsync(context, tagged.Error).ConfigureAwait(false);
                return;
            }

            response.Headers.Append(RegistryHeaders.Tag, tag);
        }

        response.StatusCode = StatusCodes.Status201Created;
        response.Headers.Location = Locations.Manifest(context, route.Repository, pushed.Value.Digest);
        response.Headers[RegistryHeaders.ContentDigest] = pushed.Value.Digest.ToString();
        if (pushed.Value.Subject is { } subject)
        {
            response.Headers[RegistryHeaders.Subject] = subject.ToString();
        }

        response.ContentLength = 0;
    }

    public async Task DeleteAsync(HttpContext context, RegistryRoute route) =>
        await EmptyResponses.WriteAsync(
            context,
            await manifests.DeleteAsync(route.Repository, route.Argument, context.RequestAborted).ConfigureAwait(false),
            StatusCodes.Status202Accepted).ConfigureAwait(false);

    // PUT /manifests/<digest>?tag=a&tag=b (distribution-spec, next version): each tag is set after the manifest is
    // stored by digest, and answered with its own OCI-Tag header. A tag reference ignores tag parameters, as the spec
    // describes them only for pushes by digest.
    private static StringValues TagParameters(HttpContext context, RegistryRoute route) =>
        route.Argument.Contains(':', StringComparison.Ordinal) ? context.Request.Query["tag"] : StringValues.Empty;

    // All tags are checked before anything is stored. Each costs a pass over the manifest, hence the cap (the spec asks
    // for at least 10 and allows 414 beyond what a registry takes).
    private static (RegistryError Error, int Status)? CheckTags(StringValues tags)
    {
        if (tags.Count > MaxTagsPerPush)
        {
            return (RegistryError.ManifestInvalid($"at most {MaxTagsPerPush} tag parameters are accepted in one push"), StatusCodes.Status414UriTooLong);
        }

        foreach (var tag in tags)
        {
            if (!Tag.IsValid(tag))
            {
                return (RegistryError.ManifestInvalid($"'{tag}' is not a valid tag"), StatusCodes.Status400BadRequest);
            }
        }

        return null;
    }

    private static void WriteHeaders(HttpResponse response, ManifestRecord record)
    {
        var digest = record.Digest.ToString();
        response.ContentType = record.MediaType;
        response.ContentLength = record.Size;
        response.Headers[RegistryHeaders.ContentDigest] = digest;
        response.Headers[HeaderNames.ETag] = $"\"{digest}\"";
    }

    // Reads the whole body, refusing (null) more than maxBytes before buffering it: by Content-Length when given,
    // else while reading.
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (read.Buffer.Length > maxBytes)
            {
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                return null;
            }

            if (read.IsCompleted)
            {
                var bytes = read.Buffer.ToArray();
                reader.AdvanceTo(read.Buffer.End);
                return bytes;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }
}
