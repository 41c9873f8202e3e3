using OciRegistry.AspNetCore.Authorization;

namespace OciRegistry.Server;

/// <summary>
/// Chooses the access control mode from <c>OciRegistry:Auth:Mode</c>: <c>anonymous</c> (default), <c>basic</c>
/// (htpasswd at <c>Auth:Basic:HtpasswdPath</c>) or <c>token</c> (Docker token auth; the built-in token server at
/// <c>/token</c> unless <c>Auth:Token:Realm</c> names another). Rights come from <c>Auth:Access</c> in both.
/// The mode was checked before (<see cref="Startup.ConfigurationProblems"/>).
/// </summary>
internal static class RegistryAuthentication
{
    public static IOciRegistryBuilder AddConfiguredAuthentication(this IOciRegistryBuilder registry, IConfigurationSection auth)
    {
        switch (AuthSettings.ModeOf(auth))
        {
            case AuthSettings.Basic:
                return registry.AddBasicAuthentication(options =>
                {
                    auth.GetSection("Basic").Bind(options);
                    BindUsers(auth, options);
                });
            case AuthSettings.Token:
                registry.AddTokenAuthentication(options => auth.GetSection("Token").Bind(options));
                return AuthSettings.UsesBuiltInTokenServer(auth)
                    ? registry.AddTokenServer(options =>
                    {
                        auth.GetSection("Token").Bind(options);
                        BindUsers(auth, options);
                    })
                    : registry;
            default:
                return registry;
        }
    }

    public static void MapConfiguredAuthentication(this WebApplication app, IConfigurationSection auth)
    {
        if (AuthSettings.ModeOf(auth) == AuthSettings.Token && AuthSettings.UsesBuiltInTokenServer(auth))
        {
            app.MapOciRegistryTokenEndpoint();
        }
    }

    /// <summary>The htpasswd file and access rules of basic mode and of the built-in token server, from <c>OciRegistry:Auth</c>.</summary>
    public static void BindUsers(IConfigurationSection auth, RegistryUsersOptions options)
    {
        options.HtpasswdPath ??= AuthSettings.HtpasswdPath(auth);
        auth.GetSection("Access").Bind(options.Access);
    }
}
