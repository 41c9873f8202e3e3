using OciRegistry.AspNetCore.Authorization;

namespace OciRegistry.Server;

/// <summary>
/// The web interface, on when <c>OciRegistry:Ui:Enabled</c> is true, at <c>OciRegistry:Ui:Path</c> (default <c>/ui</c>).
/// In <c>basic</c> auth mode it has a login form for the htpasswd users, whose rights then come from the same access list.
/// </summary>
internal static class RegistryUi
{
    public static bool IsEnabled(IConfigurationSection ui) => ui.GetValue<bool>("Enabled");

    public static void AddConfiguredUi(this IServiceCollection services, IConfigurationSection ui, IConfigurationSection auth)
    {
        services.AddOciRegistryUi(options => ui.Bind(options));
        if (string.Equals(auth["Mode"]?.Trim(), "basic", StringComparison.OrdinalIgnoreCase))
        {
            services.AddOciRegistryUiLogin((context, user, password) => ValueTask.FromResult(
                context.RequestServices.GetRequiredService<IRegistryAuthorizer>() is BasicRegistryAuthorizer basic && basic.CheckPassword(user, password)));
        }
    }

    public static void MapConfiguredUi(this WebApplication app, IConfigurationSection ui) => app.MapOciRegistryUi(ui["Path"] ?? "/ui");
}
