using AspNetCoreHost.Authentication;
using AspNetCoreHost.Authorization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace AspNetCoreHost;

/// <summary>
/// The host app: its own <c>GET /hello</c>, its own Basic authentication and its own authorization policy — and a
/// registry under <c>/v2/</c> that the same authentication and policy protect. Everyone may pull; only users in the
/// <see cref="RegistryAccessHandler.PublisherRole"/> role may push or delete. The registry's web interface is at
/// <c>/registry-ui</c>, for signed-in users only.
/// </summary>
public static class SampleApp
{
    /// <summary>Builds the app from command-line arguments (e.g. <c>--urls</c>, <c>--Registry:RootPath</c>), ready to run.</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
        builder.Services.AddLargeTransportBuffers(); // 64 KiB socket buffers: layer pushes take far fewer system calls

        builder.Services.Configure<BasicUsersOptions>(builder.Configuration.GetSection("Users"));
        builder.Services
            .AddAuthentication(BasicAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BasicAuthenticationHandler>(BasicAuthenticationHandler.SchemeName, configureOptions: null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(RegistryAccessHandler.PolicyName, policy => policy.AddRequirements(new RegistryAccessRequirement()));
        builder.Services.AddSingleton<IAuthorizationHandler, RegistryAccessHandler>();

        // The registry asks the app's own IAuthorizationService, with each request's RegistryResource, under that policy.
        builder.Services
            .AddOciRegistry()
            .AddAuthorizationPolicies(registry => registry.PolicyName = RegistryAccessHandler.PolicyName)
            .AddFileSystemStorage(storage => storage.RootPath = builder.Configuration["Registry:RootPath"] ?? "registry-data");
        builder.Services.AddOciRegistryUi();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/hello", (HttpContext context) => $"Hello, {context.User.Identity?.Name ?? "anonymous"}!");
        app.MapOciRegistry();

        // The web interface behind the app's own sign-in: only signed-in users reach it, and within it the same policy
        // decides what each may see and delete.
        app.MapOciRegistryUi("/registry-ui").RequireAuthorization();
        return app;
    }
}
