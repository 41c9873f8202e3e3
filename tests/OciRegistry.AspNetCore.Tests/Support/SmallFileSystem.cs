using System.Diagnostics;

namespace OciRegistry.AspNetCore.Tests.Support;

/// <summary>
/// A real file system that fills up: a tmpfs of a few MiB mounted on a temporary folder (the tests run as root, as in
/// CI), unmounted and removed on dispose.
/// </summary>
internal sealed class SmallFileSystem : IDisposable
{
    private SmallFileSystem(string path) => Path = path;

    public string Path { get; }

    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    public static SmallFileSystem Mount(int mebibytes)
    {
        var path = Directory.CreateTempSubdirectory("oci-small-fs-").FullName;
        Run("mount", "-t", "tmpfs", "-o", $"size={mebibytes}m", "tmpfs", path);
        return new SmallFileSystem(path);
    }

    public void Dispose()
    {
        Run("umount", Path);
        Directory.Delete(Path);
    }

    private static void Run(string command, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error} — these tests need root");
        }
    }
}
