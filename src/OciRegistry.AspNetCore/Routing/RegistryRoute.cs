namespace OciRegistry.AspNetCore.Routing;

/// <summary>
/// A path under <c>/v2/</c> split into the endpoint, the repository name and the last segment (reference, digest or
/// upload id). Repository names contain slashes, so the endpoint is recognised from the end of the path, as CNCF
/// Distribution does; the name is validated later by the operations.
/// </summary>
internal readonly record struct RegistryRoute(RouteKind Kind, string Repository, string Argument)
{
    public static RegistryRoute Parse(string path)
    {
        // path is what follows "/v2/", e.g. "library/alpine/manifests/latest" or "" for the base endpoint.
        if (path.Length == 0)
        {
            return new(RouteKind.Base, "", "");
        }

        if (path is "_catalog")
        {
            return new(RouteKind.Catalog, "", "");
        }

        if (path.EndsWith("/tags/list", StringComparison.Ordinal))
        {
            return new(RouteKind.Tags, path[..^"/tags/list".Length], "");
        }

        if (path.EndsWith("/blobs/uploads/", StringComparison.Ordinal) || path.EndsWith("/blobs/uploads", StringComparison.Ordinal))
        {
            return new(RouteKind.UploadStart, path[..path.LastIndexOf("/blobs/uploads", StringComparison.Ordinal)], "");
        }

        var lastSlash = path.LastIndexOf('/');
        if (lastSlash <= 0)
        {
            return default;
        }

        var argument = path[(lastSlash + 1)..];
        var head = path[..lastSlash];
        var secondSlash = head.LastIndexOf('/');
        if (secondSlash <= 0 || argument.Length == 0)
        {
            return default;
        }

        var repository = head[..secondSlash];
        return head[(secondSlash + 1)..] switch
        {
            "manifests" => new(RouteKind.Manifest, repository, argument),
            "referrers" => new(RouteKind.Referrers, repository, argument),
            "blobs" => new(RouteKind.Blob, repository, argument),
            "uploads" when repository.EndsWith("/blobs", StringComparison.Ordinal) =>
                new(RouteKind.UploadSession, repository[..^"/blobs".Length], argument),
            _ => default,
        };
    }
}
