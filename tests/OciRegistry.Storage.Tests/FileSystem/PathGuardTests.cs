using OciRegistry.Storage.FileSystem;

namespace OciRegistry.Storage.Tests.FileSystem;

public sealed class PathGuardTests : IDisposable
{
    private readonly TemporaryRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void UploadId_OutsideUploadsFolder_IsRefused() =>
        Assert.Throws<UnauthorizedAccessException>(() => new FileSystemLayout(_root.Path).UploadData("../blobs"));

    [Fact]
    public void SiblingFolderSharingTheRootPrefix_IsRefused()
    {
        var layout = new FileSystemLayout(_root.Path);

        Assert.Throws<UnauthorizedAccessException>(() => FileSystemLayout.EnsureUnder(layout.Root, _root.Path + "-evil"));
        Assert.Throws<UnauthorizedAccessException>(() => FileSystemLayout.EnsureUnder(layout.Root, _root.Path));
    }
}
