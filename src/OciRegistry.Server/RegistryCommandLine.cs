namespace OciRegistry.Server;

/// <summary>The <c>oci-registry</c> commands. <c>serve</c> is the default, so a bare run starts a registry.</summary>
internal static class RegistryCommandLine
{
    public static async Task<int> RunAsync(string[] args)
    {
        var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "serve";
        var rest = args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args;
        switch (command)
        {
            case "serve":
                await RegistryHost.Build(rest).RunAsync().ConfigureAwait(false);
                return 0;
            case "help" or "--help" or "-h":
                PrintUsage(Console.Out);
                return 0;
            default:
                Console.Error.WriteLine($"Unknown command '{command}'.");
                PrintUsage(Console.Error);
                return 2;
        }
    }

    private static void PrintUsage(TextWriter output) => output.WriteLine("""
        Usage: oci-registry [serve] [--urls http://localhost:5000] [--OciRegistry:Storage:RootPath ./registry-data]
                            [--OciRegistry:DeletesEnabled true] [--Logging:LogLevel:Default Information]
                            [--OciRegistry:Auth:Mode anonymous|basic|token] [--OciRegistry:Auth:Basic:HtpasswdPath ./htpasswd]

        Access rules (basic and token modes) come from OciRegistry:Auth:Access, e.g. in appsettings.json:
          "Access": [ { "User": "alice", "Repositories": "team/*", "Actions": [ "pull", "push" ] },
                      { "User": "*", "Repositories": "public/*", "Actions": [ "pull" ] } ]
        Token mode serves its own token endpoint at /token (signing key: OciRegistry:Auth:Token:SigningKeyPath,
        ephemeral when unset) unless OciRegistry:Auth:Token:Realm names another token server.

        Every setting can also come from appsettings.json or environment variables (OciRegistry__Storage__RootPath).
        """);
}
