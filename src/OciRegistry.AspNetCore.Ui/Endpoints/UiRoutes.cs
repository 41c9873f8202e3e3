using Microsoft.AspNetCore.Http;

namespace OciRegistry.AspNetCore.Ui.Endpoints;

/// <summary>Where the interface is mounted, remembered on each of its endpoints so pages link within it.</summary>
internal static class UiRoutes
{
    /// <summary>The prefix given to <c>MapOciRegistryUi</c>, from the matched endpoint's metadata.</summary>
    public static string PrefixOf(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<UiPrefix>()?.Value ?? "";

    /// <summary>Endpoint metadata carrying the prefix.</summary>
    public sealed record UiPrefix(string Value);
}
