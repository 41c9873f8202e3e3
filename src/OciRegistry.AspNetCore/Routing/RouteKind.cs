namespace OciRegistry.AspNetCore.Routing;

/// <summary>Which distribution-spec endpoint a path under <c>/v2/</c> names.</summary>
internal enum RouteKind
{
    Unknown,
    Base,
    Catalog,
    Tags,
    Manifest,
    Blob,
    UploadStart,
    UploadSession,
    Referrers,
}
