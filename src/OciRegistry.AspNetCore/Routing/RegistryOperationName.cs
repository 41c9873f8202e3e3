namespace OciRegistry.AspNetCore.Routing;

/// <summary>The <c>operation</c> tag of request metrics: the endpoint and the method, e.g. <c>manifest.put</c>, <c>upload.patch</c>.</summary>
internal static class RegistryOperationName
{
    public static string Of(RouteKind kind, string method) => kind switch
    {
        RouteKind.Unknown => "unknown",
        RouteKind.Base => "base",
        RouteKind.Catalog => "catalog",
        RouteKind.Tags => "tags.list",
        RouteKind.Referrers => "referrers.list",
        RouteKind.UploadStart => "upload.start",
        _ => $"{Endpoint(kind)}.{Method(method)}",
    };

    private static string Endpoint(RouteKind kind) => kind switch
    {
        RouteKind.Manifest => "manifest",
        RouteKind.Blob => "blob",
        RouteKind.UploadSession => "upload",
        _ => "other",
    };

    private static string Method(string method) => method switch
    {
        "GET" => "get",
        "HEAD" => "head",
        "PUT" => "put",
        "POST" => "post",
        "PATCH" => "patch",
        "DELETE" => "delete",
        _ => "other",
    };
}
