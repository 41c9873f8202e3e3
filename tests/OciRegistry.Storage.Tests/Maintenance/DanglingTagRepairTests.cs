using OciRegistry.Core.References;
using Microsoft.Data.Sqlite;
using OciRegistry.Core.Maintenance;

namespace OciRegistry.Storage.Tests.Maintenance;

/// <summary>
/// A tag whose manifest record is gone (an old bug, a damaged database: the SQLite store itself never leaves one):
/// <c>verify</c> reports it, <c>--repair</c> stores the manifest again from its bytes, or removes the tag when the
/// bytes are gone too.
/// </summary>
public sealed class DanglingTagRepairTests : IDisposable
{
    private readonly FileSystemRegistryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ATagWhoseManifestRecordIsGone_IsRestored_WhenTheManifestBytesAreStored()
    {
        var image = await _folder.Registry.PushImageAsync("app", "v1", "config", "layer");
        DeleteManifestRecordKeepingItsTag(image);

        var found = await _folder.Registry.Verifier.VerifyAsync();
        var repaired = await _folder.Registry.Verifier.VerifyAsync(repair: true);

        Assert.Equal([new MissingReference(RepositoryName.Parse("app"), image, image) { Tag = "v1" }], found.MissingReferences);
        Assert.False(found.IsHealthy);
        Assert.Equal([new MissingReference(RepositoryName.Parse("app"), image, image) { Tag = "v1", Repair = RepairOutcome.RestoredManifest }], repaired.MissingReferences);
        Assert.True(repaired.IsHealthy);
        Assert.Equal(image, (await _folder.Registry.Manifests.GetAsync("app", "v1")).Value.Record.Digest);
        Assert.Empty((await _folder.Registry.Verifier.VerifyAsync()).MissingReferences);
    }

    [Fact]
    public async Task ATagWhoseManifestCannotBeRestored_IsRemoved()
    {
        var image = await _folder.Registry.PushImageAsync("app", "v1", "config", "layer");
        await _folder.Registry.PushImageAsync("app", "v2", "config", "layer", "more");
        DeleteManifestRecordKeepingItsTag(image);
        File.Delete(_folder.BlobFile(image));

        var repaired = await _folder.Registry.Verifier.VerifyAsync(repair: true);

        Assert.Contains(new MissingReference(RepositoryName.Parse("app"), image, image) { Tag = "v1", Repair = RepairOutcome.RemovedTag }, repaired.MissingReferences);
        Assert.Equal(["v2"], await _folder.Registry.Metadata.ListTagsAsync(RepositoryName.Parse("app"), null, 10));
    }

    private void DeleteManifestRecordKeepingItsTag(Core.Digests.Digest manifest)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder.Root, "metadata.db")};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM manifests WHERE digest = $digest; DELETE FROM manifest_references WHERE manifest = $digest";
        command.Parameters.AddWithValue("$digest", manifest.ToString());
        Assert.Equal(1 + 2, command.ExecuteNonQuery());
    }
}
