namespace OciRegistry.Interop.Tests.MultiInstance;

/// <summary>
/// Where the instances of <see cref="RegistryInstances"/> keep their blobs and uploads: the settings every server process
/// (instance or maintenance command) gets, and a look at the stored bytes that does not go through the registry.
/// </summary>
internal abstract class InstanceStorage : IAsyncDisposable
{
    /// <summary>The storage settings of a process whose own working folder is <paramref name="processFolder"/>.</summary>
    public abstract string[] SettingsFor(string processFolder);

    /// <summary>Whether the store holds committed bytes under <paramref name="digest"/>.</summary>
    public abstract Task<bool> HoldsBlobAsync(string digest);

    public abstract ValueTask DisposeAsync();
}
