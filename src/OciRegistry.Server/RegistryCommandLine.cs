namespace OciRegistry.Server;

/// <summary>The <c>oci-registry</c> commands. <c>serve</c> is the default, so a bare run starts a registry.</summary>
internal static class RegistryCommandLine
{
    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "serve";
        var rest = args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args;
        switch (command)
        {
            case "serve":
                await RegistryHost.Build(rest).RunAsync().ConfigureAwait(false);
                return 0;
            case "gc":
                return await MaintenanceCommands.CollectGarbageAsync(rest, output).ConfigureAwait(false);
            case "verify":
                return await MaintenanceCommands.VerifyAsync(rest, output).ConfigureAwait(false);
            case "export":
                return await ExportCommand.RunAsync(rest, output, error).ConfigureAwait(false);
            case "import":
                return await ImportCommand.RunAsync(rest, output, error).ConfigureAwait(false);
            case "sync":
                return await SyncCommand.RunAsync(rest, output, error).ConfigureAwait(false);
            case "help" or "--help" or "-h":
                PrintUsage(output);
                return 0;
            default:
                error.WriteLine($"Unknown command '{command}'.");
                PrintUsage(error);
                return 2;
        }
    }

    private static void PrintUsage(TextWriter output) => output.WriteLine("""
        Usage: oci-registry [serve] [--urls http://localhost:5000] [--OciRegistry:Storage:RootPath ./registry-data]
                            [--OciRegistry:DeletesEnabled true] [--Logging:LogLevel:Default Information]
                            [--OciRegistry:Gc:Interval 1.00:00:00]
                            [--OciRegistry:Auth:Mode anonymous|basic|token] [--OciRegistry:Auth:Basic:HtpasswdPath ./htpasswd]
               oci-registry gc [--dry-run] [settings as for serve]
                   Deletes unreachable manifests and blobs (grace period OciRegistry:Gc:GracePeriod, default 1 hour;
                   OciRegistry:Gc:DeleteUntaggedManifests; OciRegistry:Gc:Retention:0:TagPattern / :KeepLast).
               oci-registry verify [--quarantine] [settings as for serve]
                   Re-hashes every blob and checks every manifest's references; --quarantine deletes corrupt blobs.
                   Exits 1 when anything is corrupt or missing.
               oci-registry export --output images.tar|folder --image 'team/*:1.*' [--image ...] [settings as for serve]
                   Writes the images (every platform, every referrer) as an OCI image layout, a folder or a .tar.
               oci-registry import --input images.tar|folder [--repository name] [settings as for serve]
                   Loads an OCI image layout; digests preserved; run again to resume, already-present content is skipped.
               oci-registry sync --upstream https://registry-1.docker.io [--username u --password p] [--prefix dockerhub]
                                 --image library/nginx:1.27 [--image ...] [settings as for serve]
                   Copies images from an upstream into the registry (under the prefix: the mirror's name for it).

        A pull-through mirror is configured under OciRegistry:Mirror (see README, "mirror for a cluster without internet"):
          "Mirror": { "Upstreams": [ { "Name": "dockerhub", "Url": "https://registry-1.docker.io", "Namespaces": [ "docker.io" ] } ] }

        Access rules (basic and token modes) come from OciRegistry:Auth:Access, e.g. in appsettings.json:
          "Access": [ { "User": "alice", "Repositories": "team/*", "Actions": [ "pull", "push" ] },
                      { "User": "*", "Repositories": "public/*", "Actions": [ "pull" ] } ]
        Token mode serves its own token endpoint at /token (signing key: OciRegistry:Auth:Token:SigningKeyPath,
        ephemeral when unset) unless OciRegistry:Auth:Token:Realm names another token server.

        Every setting can also come from appsettings.json or environment variables (OciRegistry__Storage__RootPath).
        """);
}
