using OciRegistry.AspNetCore.Authorization;

namespace OciRegistry.Server;

/// <summary>
/// Chooses the access control mode from <c>OciRegistry:Auth:Mode</c>: <c>anonymous</c> (default), <c>basic</c>
/// (htpasswd at <c>Auth:Basic:HtpasswdPath</c>) or <c>token</c> (Docker token auth; the built-in token server at
/// <c>/token</c> unless <c>Auth:Token:Realm</c> names another). Rights come from <c>Auth:Access</c> in both.
/// </summary>
internal static class RegistryAuthentication
{
    public static IOciRegistryBuilder AddConfiguredAuthentication(this IOciRegistryBuilder registry, IConfigurationSection auth)
    {
        switch (ModeOf(auth))
        {
            case "anonymous":
                return registry;
            case "basic":
                return registry.AddBasicAuthentication(options =>
                {
                    auth.GetSection("Basic").Bind(options);
                    BindUsers(auth, options);
                });
            case "token":
                registry.AddTokenAuthentication(options => auth.GetSection("Token").Bind(options));
                return UsesBuiltInTokenServer(auth)
                    ? registry.AddTokenServer(options =>
                    {
                        auth.GetSection("Token").Bind(options);
                        BindUsers(auth, options);
                    })
                    : registry;
            default:
                throw new InvalidOperationException($"OciRegistry:Auth:Mode must be anonymous, basic or token (was '{auth["Mode"]}').");
        }
    }

    public static void MapConfiguredAuthentication(this WebApplication app, IConfigurationSection auth)
    {
        if (ModeOf(auth) == "token" && UsesBuiltInTokenServer(auth))
        {
            app.MapOciRegistryTokenEndpoint();
        }
    }

    private static string ModeOf(IConfigurationSection auth) => (auth["Mode"] ?? "anonymous").Trim().ToLowerInvariant();

    private static bool UsesBuiltInTokenServer(IConfigurationSection auth) => string.IsNullOrEmpty(auth["Token:Realm"]);

    private static void BindUsers(IConfigurationSection auth, RegistryUsersOptions options)
    {
        options.HtpasswdPath ??= auth["Basic:HtpasswdPath"];
        auth.GetSection("Access").Bind(options.Access);
    }
}
