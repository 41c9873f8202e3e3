using Microsoft.Extensions.Options;
using OciRegistry.AspNetCore.Authorization;

namespace OciRegistry.Server;

/// <summary>
/// The web interface, on when <c>OciRegistry:Ui:Enabled</c> is true, at <c>OciRegistry:Ui:Path</c> (default <c>/ui</c>).
/// In <c>basic</c> auth mode, and in <c>token</c> mode with the built-in token server, it has a login form for the
/// htpasswd users, whose rights then come from the same access list (the token server grants from it too).
/// </summary>
internal static class RegistryUi
{
    public static bool IsEnabled(IConfigurationSection ui) => ui.GetValue<bool>("Enabled");

    public static void AddConfiguredUi(this IServiceCollection services, IConfigurationSection ui, IConfigurationSection auth)
    {
        services.AddOciRegistryUi(options => ui.Bind(options));
        var mode = AuthSettings.ModeOf(auth);
        if (mode == AuthSettings.Basic)
        {
            services.AddOciRegistryUiLogin((context, user, password) => ValueTask.FromResult(
                context.RequestServices.GetRequiredService<IRegistryAuthorizer>() is BasicRegistryAuthorizer basic && basic.CheckPassword(user, password)));
        }
        else if (mode == AuthSettings.Token && AuthSettings.UsesBuiltInTokenServer(auth))
        {
            // A browser carries no bearer token: the pages check the token server's users and access list themselves.
            services.AddOciRegistryUiLogin(_ =>
            {
                var users = new BasicAuthenticationOptions();
                auth.GetSection("Token").Bind(users);
                RegistryAuthentication.BindUsers(auth, users);
                return new BasicRegistryAuthorizer(Options.Create(users));
            });
        }
    }

    public static void MapConfiguredUi(this WebApplication app, IConfigurationSection ui) => app.MapOciRegistryUi(ui["Path"] ?? "/ui");
}
