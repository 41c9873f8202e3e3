using Microsoft.AspNetCore.Http;
using OciRegistry.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OciRegistry.AspNetCore.Ui;
using OciRegistry.AspNetCore.Ui.Data;
using OciRegistry.AspNetCore.Ui.Endpoints;
using OciRegistry.AspNetCore.Ui.Maintenance;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the registry's web interface with a host that already called <c>AddOciRegistry()</c>.</summary>
public static class OciRegistryUiServiceCollectionExtensions
{
    /// <summary>The cookie scheme <c>AddOciRegistryUiLogin</c> signs users in to.</summary>
    public const string LoginScheme = "OciRegistryUi";

    /// <summary>
    /// Adds the pages' services (server-side rendered Razor components, antiforgery, validated
    /// <see cref="OciRegistryUiOptions"/>). Map them with <c>app.MapOciRegistryUi("/ui")</c>.
    /// </summary>
    public static IServiceCollection AddOciRegistryUi(this IServiceCollection services, Action<OciRegistryUiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<OciRegistryUiOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OciRegistryUiOptions>, UiOptionsValidator>());
        services.AddRazorComponents();
        services.AddAntiforgery();
        services.TryAddSingleton(provider => new UiAccess(
            provider.GetKeyedService<IRegistryAuthorizer>(UiAccess.AuthorizerKey) ?? provider.GetRequiredService<IRegistryAuthorizer>()));
        services.TryAddSingleton<RepositoryBrowser>();
        services.TryAddSingleton<ImageInspector>();
        services.TryAddSingleton<DeletePreviewer>();
        services.TryAddSingleton<MaintenanceRuns>();
        services.TryAddSingleton<UiPages>();
        services.TryAddSingleton<UiEndpoints>();
        return services;
    }

    /// <summary>
    /// Adds a login form to the pages for hosts without their own sign-in (the standalone server): a cookie scheme
    /// (<see cref="LoginScheme"/>) that only the pages read, and <paramref name="checkPassword"/> to check the form.
    /// </summary>
    public static IServiceCollection AddOciRegistryUiLogin(this IServiceCollection services, Func<HttpContext, string, string, ValueTask<bool>> checkPassword)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(checkPassword);
        return services.AddLoginForm(checkPassword);
    }

    /// <summary>
    /// Adds a login form for a registry whose API honours only bearer tokens (Docker token authentication), which a
    /// browser does not carry: <paramref name="users"/> checks the form's password and authorizes the signed-in user
    /// for the pages, by the same access list the token server grants from (its <c>htpasswd</c> and <c>Access</c>
    /// rules). The registry API keeps its own authorizer.
    /// </summary>
    public static IServiceCollection AddOciRegistryUiLogin(this IServiceCollection services, Func<IServiceProvider, BasicRegistryAuthorizer> users)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(users);
        services.AddKeyedSingleton(UiAccess.AuthorizerKey, (provider, _) => users(provider));
        services.AddKeyedSingleton<IRegistryAuthorizer>(UiAccess.AuthorizerKey, (provider, key) => provider.GetRequiredKeyedService<BasicRegistryAuthorizer>(key));
        return services.AddLoginForm((context, user, password) => ValueTask.FromResult(
            context.RequestServices.GetRequiredKeyedService<BasicRegistryAuthorizer>(UiAccess.AuthorizerKey).CheckPassword(user, password)));
    }

    private static IServiceCollection AddLoginForm(this IServiceCollection services, Func<HttpContext, string, string, ValueTask<bool>> checkPassword)
    {
        services.AddAuthentication().AddCookie(LoginScheme, cookie =>
        {
            cookie.Cookie.Name = "oci-registry-ui";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.SlidingExpiration = true;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);

            // The only scheme of a host becomes its default, which the authentication middleware then runs on every
            // request: the cookie must still not sign anyone in to the registry API (a cross-site form could ride on it).
            cookie.Events.OnValidatePrincipal = context =>
            {
                if (context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<UiRoutes.UiPrefix>() is null)
                {
                    context.RejectPrincipal();
                }

                return Task.CompletedTask;
            };
        });
        services.Configure<OciRegistryUiOptions>(options =>
        {
            options.AuthenticationScheme = LoginScheme;
            options.CheckPassword = checkPassword;
        });
        return services;
    }

    private sealed class UiOptionsValidator : IValidateOptions<OciRegistryUiOptions>
    {
        public ValidateOptionsResult Validate(string? name, OciRegistryUiOptions options)
        {
            var problems = options.Validate().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
