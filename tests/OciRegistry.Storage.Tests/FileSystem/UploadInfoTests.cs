using System.Text;
using OciRegistry.Storage.FileSystem;

namespace OciRegistry.Storage.Tests.FileSystem;

/// <summary>
/// A session's <c>info.json</c> is read back from disk, where anyone with access to the folder can change it: a
/// repository name that no longer parses, or a file that is not JSON, makes the session unknown, not an exception.
/// </summary>
public sealed class UploadInfoTests : IDisposable
{
    private readonly TemporaryRoot _root = new();

    public void Dispose() => _root.Dispose();

    public static TheoryData<string> DamagedInfo => new()
    {
        "library/app|Library/App",    // uppercase is outside the spec's name grammar
        "library/app|library//app",   // an empty path component
        "library/app|",               // no name at all
        "{|[",                        // not a JSON object
    };

    [Theory]
    [MemberData(nameof(DamagedInfo))]
    public async Task ASessionWhoseInfoIsDamaged_IsUnknown_ToGetAndList(string replacement)
    {
        var uploads = new FileSystemUploadStore(new FileSystemBlobStore(_root.Options));
        var damaged = await TestContent.UploadAsync(uploads, "library/app", TestContent.Bytes(100, seed: 1));
        var intact = await TestContent.UploadAsync(uploads, "library/other", TestContent.Bytes(100, seed: 2));
        var info = Path.Combine(_root.Path, "uploads", damaged, "info.json");
        var parts = replacement.Split('|');
        var text = await File.ReadAllTextAsync(info, Encoding.UTF8);
        Assert.Contains(parts[0], text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(info, text.Replace(parts[0], parts[1], StringComparison.Ordinal), Encoding.UTF8);

        Assert.Null(await uploads.GetAsync(damaged));
        var listed = await uploads.ListAsync().Select(session => session.Id).ToListAsync();
        Assert.Equal([intact], listed);
        Assert.Equal("library/other", (await uploads.GetAsync(intact))!.Repository.Value);
    }
}
