using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace OciRegistry.AspNetCore.Routing;

/// <summary>
/// Gives each registry endpoint its own <c>http.route</c> in ASP.NET Core's metrics and traces. Repository names
/// contain slashes, so routing matches all of <c>/v2/</c> with one catch-all endpoint and the dispatcher tells the
/// endpoints apart; it then swaps the matched endpoint for a copy (same delegate, same metadata) that names the
/// spec's route, e.g. <c>/v2/{name}/manifests/{reference}</c>. The hosting layer reads the route from the endpoint
/// when the request ends. A handful of copies per host, made once each.
/// </summary>
internal sealed class OperationRoutes
{
    private readonly ConcurrentDictionary<(Endpoint Matched, RouteKind Kind), Endpoint> _endpoints = new();

    public void Apply(HttpContext context, RouteKind kind)
    {
        if (kind == RouteKind.Unknown || context.GetEndpoint() is not { } matched)
        {
            return;
        }

        context.SetEndpoint(_endpoints.GetOrAdd((matched, kind), static key => Copy(key.Matched, Template(key.Kind))));
    }

    private static string Template(RouteKind kind) => kind switch
    {
        RouteKind.Base => "/v2/",
        RouteKind.Catalog => "/v2/_catalog",
        RouteKind.Tags => "/v2/{name}/tags/list",
        RouteKind.Referrers => "/v2/{name}/referrers/{digest}",
        RouteKind.Manifest => "/v2/{name}/manifests/{reference}",
        RouteKind.Blob => "/v2/{name}/blobs/{digest}",
        RouteKind.UploadStart => "/v2/{name}/blobs/uploads/",
        RouteKind.UploadSession => "/v2/{name}/blobs/uploads/{reference}",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "an unknown route has no template"),
    };

    private static Endpoint Copy(Endpoint matched, string route) =>
        new(matched.RequestDelegate, new EndpointMetadataCollection([.. matched.Metadata, new Route(route)]), matched.DisplayName);

    private sealed record Route(string Value) : IRouteDiagnosticsMetadata
    {
        string IRouteDiagnosticsMetadata.Route => Value;
    }
}
