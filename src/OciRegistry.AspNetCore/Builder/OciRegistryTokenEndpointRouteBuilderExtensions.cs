using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.AspNetCore.Authorization;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the built-in Docker token server.</summary>
public static class OciRegistryTokenEndpointRouteBuilderExtensions
{
    private static readonly string[] TokenMethods = ["GET", "POST"];

    /// <summary>
    /// Maps <c>GET <paramref name="pattern"/>?service=&amp;scope=</c> and the OAuth2 form <c>POST</c> (default <c>/token</c>), the realm that
    /// <see cref="TokenAuthenticationOptions.Realm"/> names by default. Requires <c>.AddTokenServer(...)</c>.
    /// </summary>
    public static IEndpointConventionBuilder MapOciRegistryTokenEndpoint(this IEndpointRouteBuilder endpoints, string pattern = "/token")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var handler = endpoints.ServiceProvider.GetService<TokenEndpoint>()
            ?? throw new InvalidOperationException("Call .AddTokenServer(...) on AddOciRegistry() before app.MapOciRegistryTokenEndpoint().");
        return endpoints.MapMethods(pattern, TokenMethods, handler.HandleAsync).WithDisplayName("OCI registry token server");
    }
}
