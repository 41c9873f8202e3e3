using OciRegistry.Core.Operations;
using OciRegistry.Interop.Tests.Skopeo;
using OciRegistry.Testing;

namespace OciRegistry.Interop.Tests.Infrastructure;

/// <summary>
/// One test's world: a fresh in-process registry (recording its requests), a skopeo with its own HOME, and a
/// temporary folder for OCI layouts. <c>await using</c> removes all of it.
/// </summary>
internal sealed class InteropSession : IAsyncDisposable
{
    private readonly DirectoryInfo _workFolder;

    private InteropSession(InProcessRegistry registry, RequestRecorder recorder, SkopeoCli skopeo, DirectoryInfo workFolder)
    {
        Registry = registry;
        Recorder = recorder;
        Skopeo = skopeo;
        _workFolder = workFolder;
    }

    /// <summary>The registry under test.</summary>
    public InProcessRegistry Registry { get; }

    /// <summary>Every request the registry answered.</summary>
    public RequestRecorder Recorder { get; }

    /// <summary>The skopeo client.</summary>
    public SkopeoCli Skopeo { get; }

    /// <summary>Starts a registry on the file system or in memory, and a skopeo (failing when skopeo is missing).</summary>
    public static async Task<InteropSession> StartAsync(bool useFileSystem, Action<RegistryOptions>? rules = null)
    {
        var skopeo = new SkopeoCli();
        var recorder = new RequestRecorder();
        var registry = await InProcessRegistry.StartAsync(options =>
        {
            options.UseFileSystem = useFileSystem;
            options.App = recorder.Attach;
            options.Registry = rules;
        });
        return new InteropSession(registry, recorder, skopeo, Directory.CreateTempSubdirectory("oci-interop-"));
    }

    /// <summary>A path for a new folder inside the session's temporary folder (not created).</summary>
    public string FolderPath(string name) => Path.Combine(_workFolder.FullName, name);

    /// <summary>The skopeo reference <c>docker://host:port/repository:tag</c> of this registry.</summary>
    public string DockerReference(string repository, string tagOrDigest) =>
        $"docker://{Registry.HostPort}/{repository}{(tagOrDigest.StartsWith("sha256:", StringComparison.Ordinal) ? "@" : ":")}{tagOrDigest}";

    /// <summary>Stops the registry and deletes every temporary folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await Registry.DisposeAsync();
        Skopeo.Dispose();
        _workFolder.Delete(recursive: true);
    }
}
