namespace OciRegistry.Server.Startup;

/// <summary>The storage settings the server reads, with their defaults, in one place.</summary>
internal static class StorageSettings
{
    public const string RootPathKey = "OciRegistry:Storage:RootPath";

    public const string DefaultRootPath = "registry-data";

    /// <summary>The storage folder as configured; relative paths resolve against the working directory.</summary>
    public static string RootPath(IConfiguration configuration) => configuration[RootPathKey] is { Length: > 0 } path ? path : DefaultRootPath;
}
