using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OciRegistry.AspNetCore.Authorization;
using OciRegistry.AspNetCore.Endpoints;
using OciRegistry.AspNetCore.Http;
using OciRegistry.Core.Errors;
using OciRegistry.Core.Observability;
using OciRegistry.Core.Upstream;

namespace OciRegistry.AspNetCore.Routing;

/// <summary>
/// The single request delegate behind every <c>/v2/</c> route: recognises the endpoint, authorizes the request
/// against its <see cref="RegistryResource"/>, and hands it to the endpoint. Unknown routes and methods get JSON
/// errors, never an HTML page.
/// </summary>
internal sealed partial class RegistryDispatcher(
    BlobEndpoints blobs,
    UploadEndpoints uploads,
    ManifestEndpoints manifests,
    ListingEndpoints listings,
    ReferrersEndpoints referrers,
    IRegistryAuthorizer authorizer,
    RegistryMetrics metrics,
    OperationRoutes routes,
    ILogger<RegistryDispatcher> logger,
    IUpstreamSource? upstream = null)
{
    public async Task DispatchAsync(HttpContext context, string path)
    {
        var route = MirrorNamespace(RegistryRoute.Parse(path), context.Request.Query["ns"]);
        routes.Apply(context, route.Kind);
        try
        {
            await DispatchAsync(context, route).ConfigureAwait(false);
        }
        finally
        {
            metrics.RequestCompleted(
                RegistryOperationName.Of(route.Kind, context.Request.Method),
                context.Response.StatusCode,
                context.Request.ContentLength ?? 0,
                context.Response.ContentLength ?? 0);
        }
    }

    private async Task DispatchAsync(HttpContext context, RegistryRoute route)
    {
        context.Response.Headers[RegistryHeaders.ApiVersion] = RegistryHeaders.ApiVersionValue;

        // Blobs are whatever was pushed, served as application/octet-stream: a browser must not guess a type (HTML)
        // from their content and run it in the registry's origin. JSON answers get it too.
        context.Response.Headers.XContentTypeOptions = "nosniff";
        if (DotSegments.FindInRawPath(context) is { } dottedPath)
        {
            await ErrorResponses.WriteAsync(context, RegistryError.NameInvalid(dottedPath)).ConfigureAwait(false);
            return;
        }

        var method = context.Request.Method;
        var (handler, action, resource) = Select(route, method);
        if (handler is null)
        {
            await WriteNoRouteAsync(context, route).ConfigureAwait(false);
            return;
        }

        if (action == RegistryAction.Push && upstream is not null && upstream.Covers(route.Repository) && !upstream.AcceptsPushes(route.Repository))
        {
            await ErrorResponses.WriteAsync(context, RegistryError.Denied($"'{route.Repository}' mirrors an upstream registry and takes no pushes")).ConfigureAwait(false);
            return;
        }

        if (resource is not null)
        {
            var result = await authorizer.AuthorizeAsync(context, resource).ConfigureAwait(false);
            if (result != RegistryAuthorizationResult.Allowed)
            {
                await WriteRefusalAsync(context, result, resource).ConfigureAwait(false);
                return;
            }
        }

        try
        {
            if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
            {
                BodyReadFailures.Install(context);
            }

            await handler(context, route).ConfigureAwait(false);
        }
        catch (BadHttpRequestException bad) when (!context.Response.HasStarted)
        {
            // Kestrel refused the body mid-read: over the size limit (for blobs, RegistryOptions.MaxBlobBytes),
            // malformed chunked framing, too slow. That is the client's fault, so it is logged below error level and
            // answered with the spec's JSON error rather than a 500 or Kestrel's empty answer.
            Log.BodyRefused(logger, context.Request.Method, context.Request.Path, bad.StatusCode, bad.Message);
            await ErrorResponses.WriteAsync(context, BodyError(route, bad), bad.StatusCode).ConfigureAwait(false);
        }
        catch (Exception full) when (StorageFull.Is(full))
        {
            // A session that ran out of space is removed with what it received, so the space comes back at once.
            Log.StorageFull(logger, context.Request.Method, context.Request.Path, full);
            if (route.Kind == RouteKind.UploadSession)
            {
                await uploads.DiscardAsync(route).ConfigureAwait(false);
            }

            if (!context.Response.HasStarted)
            {
                await StorageFull.WriteAsync(context).ConfigureAwait(false);
            }
        }
    }

    private static RegistryError BodyError(RegistryRoute route, BadHttpRequestException bad) => bad.StatusCode switch
    {
        StatusCodes.Status413PayloadTooLarge => RegistryError.SizeInvalid("the request body is larger than the registry accepts"),
        _ when route.Kind == RouteKind.Manifest => RegistryError.ManifestInvalid("the request body could not be read: " + bad.Message),
        _ => RegistryError.UploadInvalid("the request body could not be read: " + bad.Message),
    };

    // Picks the endpoint and the resource it is authorized against; only that one resource is allocated.
    private (Func<HttpContext, RegistryRoute, Task>? Handler, RegistryAction Action, RegistryResource? Resource) Select(RegistryRoute route, string method)
    {
        var (handler, action) = SelectHandler(route.Kind, method);
        var resource = handler is null ? null : route.Kind switch
        {
            RouteKind.Base => RegistryResource.Base,
            RouteKind.Catalog => RegistryResource.Catalog,
            _ => new RegistryResource(route.Repository, action),
        };
        return (handler, action, resource);
    }

    // containerd names the registry an image comes from in ?ns= when it pulls through a mirror: the repository of the
    // upstream configured for that host is the local one under its prefix. Hosts nobody configured are ignored.
    private RegistryRoute MirrorNamespace(RegistryRoute route, string? ns) =>
        upstream is not null && !string.IsNullOrEmpty(ns) && route.Repository.Length > 0
            && upstream.RepositoryPrefixForNamespace(ns) is { } prefix
            ? route with { Repository = prefix + "/" + route.Repository }
            : route;

    private (Func<HttpContext, RegistryRoute, Task>? Handler, RegistryAction Action) SelectHandler(RouteKind kind, string method)
    {
        var isGet = HttpMethods.IsGet(method);
        var isHead = HttpMethods.IsHead(method);
        return kind switch
        {
            RouteKind.Base when isGet || isHead => (WriteBaseAsync, RegistryAction.Pull),
            RouteKind.Catalog when isGet || isHead => (CatalogAsync, RegistryAction.Catalog),
            RouteKind.Tags when isGet || isHead => (listings.TagsAsync, RegistryAction.Pull),
            RouteKind.Referrers when isGet || isHead => (referrers.GetAsync, RegistryAction.Pull),
            RouteKind.Manifest when isGet => (manifests.GetAsync, RegistryAction.Pull),
            RouteKind.Manifest when isHead => (manifests.HeadAsync, RegistryAction.Pull),
            RouteKind.Manifest when HttpMethods.IsPut(method) => (manifests.PutAsync, RegistryAction.Push),
            RouteKind.Manifest when HttpMethods.IsDelete(method) => (manifests.DeleteAsync, RegistryAction.Delete),
            RouteKind.Blob when isGet => (blobs.GetAsync, RegistryAction.Pull),
            RouteKind.Blob when isHead => (blobs.HeadAsync, RegistryAction.Pull),
            RouteKind.Blob when HttpMethods.IsDelete(method) => (blobs.DeleteAsync, RegistryAction.Delete),
            RouteKind.UploadStart when HttpMethods.IsPost(method) => (uploads.StartAsync, RegistryAction.Push),
            RouteKind.UploadSession when isGet => (uploads.StatusAsync, RegistryAction.Push),
            RouteKind.UploadSession when HttpMethods.IsPatch(method) => (uploads.PatchAsync, RegistryAction.Push),
            RouteKind.UploadSession when HttpMethods.IsPut(method) => (uploads.PutAsync, RegistryAction.Push),
            RouteKind.UploadSession when HttpMethods.IsDelete(method) => (uploads.CancelAsync, RegistryAction.Push),
            _ => (null, RegistryAction.Pull),
        };
    }

    private static Task WriteBaseAsync(HttpContext context, RegistryRoute route) =>
        JsonResponses.WriteAsync(context, "application/json", 0, static (json, _) =>
        {
            json.WriteStartObject();
            json.WriteEndObject();
        });

    private Task CatalogAsync(HttpContext context, RegistryRoute route) =>
        listings.CatalogAsync(context, name => authorizer.ListsInCatalogAsync(context, name));

    private async Task WriteRefusalAsync(HttpContext context, RegistryAuthorizationResult result, RegistryResource resource)
    {
        if (result == RegistryAuthorizationResult.Challenge)
        {
            await authorizer.ChallengeAsync(context, resource).ConfigureAwait(false);
            if (!context.Response.HasStarted)
            {
                await ErrorResponses.WriteAsync(context, RegistryError.Unauthorized()).ConfigureAwait(false);
            }

            return;
        }

        await ErrorResponses.WriteAsync(
            context,
            result == RegistryAuthorizationResult.TooManyRequests
                ? RegistryError.TooManyRequests("too many failed logins from this address; retry after the time in Retry-After")
                : RegistryError.Denied(resource.Scope)).ConfigureAwait(false);
    }

    private static Task WriteNoRouteAsync(HttpContext context, RegistryRoute route)
    {
        if (route.Kind == RouteKind.Unknown)
        {
            return ErrorResponses.WriteAsync(
                context,
                new RegistryError(RegistryErrorCode.Unsupported, $"no registry endpoint at {context.Request.Path}"),
                StatusCodes.Status404NotFound);
        }

        context.Response.Headers.Allow = AllowedMethods(route.Kind);
        return ErrorResponses.WriteAsync(context, RegistryError.Unsupported($"{context.Request.Method} is not allowed on this endpoint"));
    }

    private static string AllowedMethods(RouteKind kind) => kind switch
    {
        RouteKind.Manifest => "GET, HEAD, PUT, DELETE",
        RouteKind.Blob => "GET, HEAD, DELETE",
        RouteKind.UploadStart => "POST",
        RouteKind.UploadSession => "GET, PATCH, PUT, DELETE",
        _ => "GET, HEAD",
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 151, Level = LogLevel.Error, Message = "{Method} {Path}: the registry's storage is full")]
        public static partial void StorageFull(ILogger logger, string method, string path, Exception exception);

        [LoggerMessage(EventId = 150, Level = LogLevel.Debug, Message = "{Method} {Path}: request body refused with {Status}: {Reason}")]
        public static partial void BodyRefused(ILogger logger, string method, string path, int status, string reason);
    }
}
