using OciRegistry.Storage.FileSystem;

namespace OciRegistry.Storage.Tests.FileSystem;

public sealed class PathGuardTests : IDisposable
{
    private readonly TemporaryRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData("../escape")]
    [InlineData("../../escape")]
    [InlineData("/etc")]
    [InlineData("a/../../../root-sibling")]
    public void RepositoryPath_OutsideRepositoriesFolder_IsRefused(string crafted)
    {
        var layout = new FileSystemLayout(_root.Path);

        Assert.Throws<UnauthorizedAccessException>(() => layout.Repository(crafted));
        Assert.Throws<UnauthorizedAccessException>(() => layout.TagsDirectory(crafted));
    }

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

    [Fact]
    public void TagPath_OutsideTagsFolder_IsRefused()
    {
        var layout = new FileSystemLayout(_root.Path);

        Assert.Throws<UnauthorizedAccessException>(() => layout.Tag("library/alpine", "../_manifests"));
        Assert.Throws<UnauthorizedAccessException>(() => layout.Tag("library/alpine", "../../../../../outside"));
    }

    [Fact]
    public async Task MetadataStore_WithCraftedName_WritesNothingOutsideRoot()
    {
        var store = new FileSystemMetadataStore(_root.Options);
        var outside = Directory.GetParent(_root.Path)!.FullName;

        await Assert.ThrowsAsync<UnauthorizedAccessException>(async () =>
            await store.LinkBlobAsync("../../escape", TestContent.DigestOf("x")));

        Assert.Equal([_root.Path], Directory.GetFileSystemEntries(outside));
    }

    [Fact]
    public void ValidNestedNames_StayUnderRoot()
    {
        var layout = new FileSystemLayout(_root.Path);

        Assert.StartsWith(_root.Path + Path.DirectorySeparatorChar, layout.Tag("a/b/c", "v1.0"), StringComparison.Ordinal);
    }
}
