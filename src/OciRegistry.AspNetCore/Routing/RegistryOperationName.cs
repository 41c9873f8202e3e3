using Microsoft.AspNetCore.Http;

namespace OciRegistry.AspNetCore.Routing;

/// <summary>
/// The <c>operation</c> tag of request metrics: the endpoint and the method, e.g. <c>manifest.put</c>,
/// <c>upload.patch</c>. Constant strings, so tagging a request allocates nothing.
/// </summary>
internal static class RegistryOperationName
{
    public static string Of(RouteKind kind, string method) => kind switch
    {
        RouteKind.Base => "base",
        RouteKind.Catalog => "catalog",
        RouteKind.Tags => "tags.list",
        RouteKind.Referrers => "referrers.list",
        RouteKind.UploadStart => "upload.start",
        RouteKind.Manifest when HttpMethods.IsGet(method) => "manifest.get",
        RouteKind.Manifest when HttpMethods.IsHead(method) => "manifest.head",
        RouteKind.Manifest when HttpMethods.IsPut(method) => "manifest.put",
        RouteKind.Manifest when HttpMethods.IsDelete(method) => "manifest.delete",
        RouteKind.Blob when HttpMethods.IsGet(method) => "blob.get",
        RouteKind.Blob when HttpMethods.IsHead(method) => "blob.head",
        RouteKind.Blob when HttpMethods.IsDelete(method) => "blob.delete",
        RouteKind.UploadSession when HttpMethods.IsGet(method) => "upload.get",
        RouteKind.UploadSession when HttpMethods.IsPatch(method) => "upload.patch",
        RouteKind.UploadSession when HttpMethods.IsPut(method) => "upload.put",
        RouteKind.UploadSession when HttpMethods.IsDelete(method) => "upload.delete",
        _ => "unknown",
    };
}
