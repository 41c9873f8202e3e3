using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OciRegistry.AspNetCore.Authorization;
using OciRegistry.AspNetCore.Ui;
using OciRegistry.AspNetCore.Ui.Endpoints;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the registry's web interface into a host's routing.</summary>
public static class OciRegistryUiEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the pages under <paramref name="prefix"/> (default <c>/ui</c>). Returns the group's convention builder, so
    /// the host can chain <c>.RequireAuthorization()</c> or rate limiting as for its own endpoints; within that, every
    /// page still asks the registry's <c>IRegistryAuthorizer</c> what the user may see and do.
    /// </summary>
    public static IEndpointConventionBuilder MapOciRegistryUi(this IEndpointRouteBuilder endpoints, string prefix = "/ui")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (!prefix.StartsWith('/') || prefix.EndsWith('/'))
        {
            throw new ArgumentException($"The prefix must start with '/' and not end with one (was '{prefix}').", nameof(prefix));
        }

        var ui = endpoints.ServiceProvider.GetService<UiEndpoints>()
            ?? throw new InvalidOperationException("Call services.AddOciRegistryUi() before app.MapOciRegistryUi().");
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<OciRegistryUiOptions>>();
        var access = endpoints.ServiceProvider.GetRequiredService<UiAccess>();
        var group = endpoints.MapGroup(prefix);
        group.WithMetadata(new UiRoutes.UiPrefix(prefix));
        group.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            await AuthenticateAsync(context, options.Value.AuthenticationScheme).ConfigureAwait(false);
            await IdentifyAsync(context, access).ConfigureAwait(false);
            AddSecurityHeaders(context.Response.Headers);
            return await next(invocation).ConfigureAwait(false);
        });

        group.MapGet("", (Delegate)ui.RepositoriesAsync);
        group.MapGet("/tags", (Delegate)ui.TagsAsync);
        group.MapGet("/image", (Delegate)ui.ImageAsync);
        group.MapGet("/delete", (Delegate)ui.DeletePreviewAsync);
        group.MapPost("/delete", (Delegate)ui.DeleteAsync);
        group.MapGet("/storage", (Delegate)ui.StorageAsync);
        group.MapGet("/maintenance", (Delegate)ui.MaintenanceAsync);
        group.MapPost("/maintenance/collect", (Delegate)ui.PreviewCollectionAsync);
        group.MapPost("/maintenance/verify", (Delegate)ui.VerifyAsync);
        group.MapGet("/uploads", (Delegate)ui.UploadsAsync);
        group.MapGet("/login", (Delegate)ui.LoginForm);
        group.MapPost("/login", (Delegate)ui.LoginAsync);
        group.MapPost("/logout", (Delegate)ui.LogoutAsync);
        group.MapGet("/ui.css", static context =>
        {
            context.Response.ContentType = "text/css; charset=utf-8";
            context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            return context.Response.Body.WriteAsync(UiAssets.Css).AsTask();
        });
        return group.WithDisplayName("OCI registry UI");
    }

    // The registry's authorizers identify the caller on their first question (Basic credentials, a bearer token) and
    // then set context.User, which the pages read before they authorize anything: the frame's signed-in name, and the
    // antiforgery tokens, which are bound to the user. Without settling it first, a form rendered after authorization
    // carried a token for the user while its POST was validated before authorization, as anonymous, and was refused
    // as expired. The answer is ignored here; every page and action still authorizes what it does.
    private static async Task IdentifyAsync(HttpContext context, UiAccess access)
    {
        var retryAfter = context.Response.Headers.RetryAfter;
        await access.AuthorizeAsync(context, RegistryResource.Catalog).ConfigureAwait(false);
        context.Response.Headers.RetryAfter = retryAfter;
    }

    // A scheme of the interface's own (the login form's cookie) is read here, for its endpoints only: the registry API
    // never honours that cookie, so a cross-site request cannot ride on it.
    private static async Task AuthenticateAsync(HttpContext context, string? scheme)
    {
        if (scheme is null)
        {
            return;
        }

        var result = await context.AuthenticateAsync(scheme).ConfigureAwait(false);
        if (result.Succeeded)
        {
            context.User = result.Principal;
        }
    }

    private static void AddSecurityHeaders(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        headers.CacheControl = "no-store";
    }
}
