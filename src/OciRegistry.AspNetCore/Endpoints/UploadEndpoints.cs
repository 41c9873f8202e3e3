using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using OciRegistry.AspNetCore.Authorization;
using OciRegistry.AspNetCore.Http;
using OciRegistry.AspNetCore.Routing;
using OciRegistry.Core.Errors;
using OciRegistry.Core.Operations;
using OciRegistry.Core.Storage;

namespace OciRegistry.AspNetCore.Endpoints;

/// <summary>
/// Blob uploads: <c>POST /v2/&lt;name&gt;/blobs/uploads/</c> (session, monolithic <c>?digest=</c>, <c>?mount=&amp;from=</c>),
/// and <c>GET|PATCH|PUT|DELETE /v2/&lt;name&gt;/blobs/uploads/&lt;id&gt;</c>.
/// </summary>
internal sealed class UploadEndpoints(UploadOperations uploads, UploadSessionOwners owners, IRegistryAuthorizer authorizer, IOptions<RegistryOptions> options)
{
    public async Task StartAsync(HttpContext context, RegistryRoute route)
    {
        var query = context.Request.Query;
        var mount = query["mount"].ToString();
        if (mount.Length > 0 && await TryMountAsync(context, route.Repository, mount, query["from"].ToString()).ConfigureAwait(false))
        {
            return;
        }

        var digest = query["digest"].ToString();
        if (digest.Length > 0)
        {
            AllowLargeBody(context);
            var pushed = await uploads.PushAsync(route.Repository, digest, context.Request.BodyReader, context.RequestAborted).ConfigureAwait(false);
            await WriteCreatedAsync(context, route.Repository, pushed).ConfigureAwait(false);
            return;
        }

        if (!await owners.MayStartAsync(context).ConfigureAwait(false))
        {
            await ErrorResponses.WriteAsync(
                context,
                RegistryError.TooManyRequests($"you have {options.Value.MaxUploadSessionsPerClient} uploads open, your limit; finish or cancel one, or wait until they expire")).ConfigureAwait(false);
            return;
        }

        var started = await uploads.StartAsync(route.Repository, context.RequestAborted).ConfigureAwait(false);
        if (!started.IsSuccess)
        {
            await ErrorResponses.WriteAsync(context, started.Error).ConfigureAwait(false);
            return;
        }

        owners.Started(context, started.Value);

        if (options.Value.ChunkMinLength is { } minLength)
        {
            context.Response.Headers[RegistryHeaders.ChunkMinLength] = minLength.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        WriteSessionHeaders(context, started.Value, StatusCodes.Status202Accepted);
    }

    public async Task StatusAsync(HttpContext context, RegistryRoute route)
    {
        var session = await uploads.GetAsync(route.Repository, route.Argument, context.RequestAborted).ConfigureAwait(false);
        if (!session.IsSuccess)
        {
            await ErrorResponses.WriteAsync(context, session.Error).ConfigureAwait(false);
            return;
        }

        WriteSessionHeaders(context, session.Value, StatusCodes.Status204NoContent);
    }

    public async Task PatchAsync(HttpContext context, RegistryRoute route)
    {
        if (!TryReadContentRange(context, out var rangeStart))
        {
            await WriteRangeErrorAsync(context, route).ConfigureAwait(false);
            return;
        }

        AllowLargeBody(context);
        var appended = await uploads.AppendAsync(route.Repository, route.Argument, rangeStart, context.Request.BodyReader, context.RequestAborted).ConfigureAwait(false);
        if (!appended.IsSuccess)
        {
            await WriteUploadErrorAsync(context, route, appended.Error).ConfigureAwait(false);
            return;
        }

        WriteSessionHeaders(context, appended.Value, StatusCodes.Status202Accepted);
    }

    public async Task PutAsync(HttpContext context, RegistryRoute route)
    {
        var digest = context.Request.Query["digest"].ToString();
        if (digest.Length == 0)
        {
            await ErrorResponses.WriteAsync(context, RegistryError.DigestInvalid("the digest query parameter is required to finish an upload")).ConfigureAwait(false);
            return;
        }

        if (!TryReadContentRange(context, out var rangeStart))
        {
            await WriteRangeErrorAsync(context, route).ConfigureAwait(false);
            return;
        }

        AllowLargeBody(context);
        PipeReader? finalChunk = context.Request.ContentLength == 0 ? null : context.Request.BodyReader;
        var completed = await uploads.CompleteAsync(route.Repository, route.Argument, digest, rangeStart, finalChunk, context.RequestAborted).ConfigureAwait(false);
        if (!completed.IsSuccess)
        {
            await WriteUploadErrorAsync(context, route, completed.Error).ConfigureAwait(false);
            return;
        }

        owners.Ended(context, route.Argument);
        await WriteCreatedAsync(context, route.Repository, completed).ConfigureAwait(false);
    }

    public async Task CancelAsync(HttpContext context, RegistryRoute route)
    {
        var cancelled = await uploads.CancelAsync(route.Repository, route.Argument, context.RequestAborted).ConfigureAwait(false);
        if (cancelled.IsSuccess)
        {
            owners.Ended(context, route.Argument);
        }

        await EmptyResponses.WriteAsync(context, cancelled, StatusCodes.Status204NoContent).ConfigureAwait(false);
    }

    /// <summary>Removes the route's session after a failure that left it unusable (a full disk); never throws for a missing one.</summary>
    public async Task DiscardAsync(RegistryRoute route) =>
        await uploads.CancelAsync(route.Repository, route.Argument, CancellationToken.None).ConfigureAwait(false);

    // A mount needs pull on the source repository; without it the request falls back to a plain upload and reveals nothing.
    private async Task<bool> TryMountAsync(HttpContext context, string repository, string digest, string from)
    {
        var source = from.Length == 0 ? null : from;
        if (source is not null
            && await authorizer.AuthorizeAsync(context, new RegistryResource(source, RegistryAction.Pull)).ConfigureAwait(false) != RegistryAuthorizationResult.Allowed)
        {
            return false;
        }

        var mounted = await uploads.MountAsync(repository, digest, source, context.RequestAborted).ConfigureAwait(false);
        if (!mounted.IsSuccess)
        {
            await ErrorResponses.WriteAsync(context, mounted.Error).ConfigureAwait(false);
            return true;
        }

        if (!mounted.Value)
        {
            return false;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status201Created;
        response.Headers.Location = Locations.Blob(context, repository, digest);
        response.Headers[RegistryHeaders.ContentDigest] = digest;
        response.ContentLength = 0;
        return true;
    }

    private static async Task WriteCreatedAsync(HttpContext context, string repository, RegistryResult<Core.Digests.Digest> result)
    {
        if (!result.IsSuccess)
        {
            await ErrorResponses.WriteAsync(context, result.Error).ConfigureAwait(false);
            return;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status201Created;
        response.Headers.Location = Locations.Blob(context, repository, result.Value);
        response.Headers[RegistryHeaders.ContentDigest] = result.Value.ToString();
        response.ContentLength = 0;
    }

    private static void WriteSessionHeaders(HttpContext context, UploadSession session, int status)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.Headers.Location = Locations.Upload(context, session.Repository.Value, session.Id);
        response.Headers[HeaderNames.Range] = RangeOf(session.Length);
        response.Headers[RegistryHeaders.UploadUuid] = session.Id;
        response.Headers[RegistryHeaders.UploadSessionId] = session.Id;
        response.ContentLength = 0;
    }

    // The upload's progress as the spec (and CNCF Distribution) writes it: inclusive, "0-0" while empty.
    private static string RangeOf(long length) => $"0-{Math.Max(length - 1, 0)}";

    private static bool TryReadContentRange(HttpContext context, out long? rangeStart)
    {
        rangeStart = null;
        var header = context.Request.Headers.ContentRange.ToString();
        if (header.Length == 0)
        {
            return true;
        }

        if (!ContentRange.TryParse(header, out var start, out var end))
        {
            return false;
        }

        if (context.Request.ContentLength is { } length && length != end - start + 1)
        {
            return false;
        }

        rangeStart = start;
        return true;
    }

    private async Task WriteRangeErrorAsync(HttpContext context, RegistryRoute route)
    {
        var session = await uploads.GetAsync(route.Repository, route.Argument, context.RequestAborted).ConfigureAwait(false);
        if (!session.IsSuccess)
        {
            await ErrorResponses.WriteAsync(context, session.Error).ConfigureAwait(false);
            return;
        }

        var error = RegistryError.UploadOutOfOrder(session.Value.Length) with
        {
            Message = "invalid Content-Range: expected start-end matching Content-Length",
        };
        await WriteUploadErrorAsync(context, route, error).ConfigureAwait(false);
    }

    private static async Task WriteUploadErrorAsync(HttpContext context, RegistryRoute route, RegistryError error)
    {
        if (error.UploadLength is { } length)
        {
            var response = context.Response;
            response.Headers.Location = Locations.Upload(context, route.Repository, route.Argument);
            response.Headers[HeaderNames.Range] = RangeOf(length);
            response.Headers[RegistryHeaders.UploadSessionId] = route.Argument;
        }

        await ErrorResponses.WriteAsync(context, error).ConfigureAwait(false);
    }

    private void AllowLargeBody(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.Value.MaxBlobBytes;
        }
    }
}
