namespace OciRegistry.Interop.Tests.MultiInstance;

/// <summary>Blobs and uploads in one folder every instance shares, as the README's recipe for replicas on one volume has it.</summary>
internal sealed class SharedFolderStorage : InstanceStorage
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("oci-instances-data-");

    public override string[] SettingsFor(string processFolder) => ["--OciRegistry:Storage:RootPath", _folder.FullName];

    // The file store names a blob's file by its hex digest.
    public override Task<bool> HoldsBlobAsync(string digest) => Task.FromResult(
        Directory.EnumerateFiles(Path.Combine(_folder.FullName, "blobs"), $"*{digest["sha256:".Length..]}*", SearchOption.AllDirectories).Any());

    public override ValueTask DisposeAsync()
    {
        _folder.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}
