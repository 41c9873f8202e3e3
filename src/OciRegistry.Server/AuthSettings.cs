namespace OciRegistry.Server;

/// <summary>How the <c>OciRegistry:Auth</c> section is read, in one place for the host, the checks and the summary.</summary>
internal static class AuthSettings
{
    public const string Anonymous = "anonymous";

    public const string Basic = "basic";

    public const string Token = "token";

    public static string ModeOf(IConfigurationSection auth) => (auth["Mode"] ?? Anonymous).Trim().ToLowerInvariant();

    /// <summary>Token mode issues its own tokens at <c>/token</c> unless <c>Auth:Token:Realm</c> names another token server.</summary>
    public static bool UsesBuiltInTokenServer(IConfigurationSection auth) => string.IsNullOrEmpty(auth["Token:Realm"]);

    /// <summary>The htpasswd file of basic mode and of the built-in token server (<c>Auth:Basic:HtpasswdPath</c>).</summary>
    public static string? HtpasswdPath(IConfigurationSection auth) => auth["Basic:HtpasswdPath"] is { Length: > 0 } path ? path : null;

    public static int AccessRuleCount(IConfigurationSection auth) => auth.GetSection("Access").GetChildren().Count();
}
