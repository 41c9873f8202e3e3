using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the OCI Distribution Spec endpoints into a host's routing.</summary>
public static class OciRegistryEndpointRouteBuilderExtensions
{
    private static readonly string[] Methods = ["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"];

    /// <summary>
    /// Maps <c>/v2/</c> and everything under it. Returns the group's convention builder, so the host can chain
    /// <c>.RequireAuthorization()</c>, rate limiting or CORS exactly as for its own endpoints.
    /// </summary>
    public static IEndpointConventionBuilder MapOciRegistry(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var dispatcher = endpoints.ServiceProvider.GetService<RegistryDispatcher>()
            ?? throw new InvalidOperationException("Call services.AddOciRegistry() before app.MapOciRegistry().");
        var group = endpoints.MapGroup("/v2");
        group.MapMethods("/", Methods, context => dispatcher.DispatchAsync(context, ""));
        group.MapMethods("/{**path}", Methods, context => dispatcher.DispatchAsync(context, (string?)context.Request.RouteValues["path"] ?? ""));
        return group.WithDisplayName("OCI registry");
    }
}
