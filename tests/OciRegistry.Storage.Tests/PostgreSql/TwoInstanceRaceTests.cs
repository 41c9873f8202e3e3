using OciRegistry.Core.References;
using Npgsql;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;
using OciRegistry.Core.Tests.Maintenance;
using OciRegistry.Storage.PostgreSql;

namespace OciRegistry.Storage.Tests.PostgreSql;

/// <summary>
/// Two registry instances on one database (two data sources, two connection pools) racing writes: the outcome must be
/// one that some order of the writes gives, every round, whatever the scheduling. No timing: each round races and then
/// checks, through both instances.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class TwoInstanceRaceTests(PostgreSqlServer server) : IAsyncLifetime
{
    private static readonly RepositoryName Repository = RepositoryName.Parse("team/app");
    private const int Rounds = 30;

    private readonly ManualClock _clock = new();
    private NpgsqlDataSource? _first;
    private NpgsqlDataSource? _second;

    private PostgreSqlMetadataStore One => new(_first!, _clock);

    private PostgreSqlMetadataStore Two => new(_second!, _clock);

    public async Task InitializeAsync()
    {
        _first = await server.CreateDatabaseAsync();
        _second = NpgsqlDataSource.Create(_first.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _first!.DisposeAsync();
        await _second!.DisposeAsync();
    }

    [Fact]
    public async Task SameTag_PushedThroughBoth_PointsAtOneOfThePushedManifests()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var (a, b) = (Manifest($"a {round}"), Manifest($"b {round}"));

            var results = await Task.WhenAll(
                Task.Run(async () => await One.PutManifestAsync(Repository, a, ManifestReferences.None, "latest")),
                Task.Run(async () => await Two.PutManifestAsync(Repository, b, ManifestReferences.None, "latest")));

            Assert.All(results, r => Assert.True(r.Stored));
            var tagged = await One.ResolveTagAsync(Repository, "latest");
            Assert.Equal(tagged, await Two.ResolveTagAsync(Repository, "latest"));
            Assert.Contains(tagged, new Digest?[] { a.Digest, b.Digest });
        }
    }

    [Fact]
    public async Task TagMove_RacingDeleteOfItsManifest_NeverLeavesTheTagOnNothing()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var moved = Manifest($"moved {round}");
            await One.PutManifestAsync(Repository, Manifest($"before {round}"), ManifestReferences.None, "latest");
            await One.PutManifestAsync(Repository, moved, ManifestReferences.None, tag: null);

            await Task.WhenAll(
                Task.Run(async () => await One.PutManifestAsync(Repository, moved, ManifestReferences.None, "latest")),
                Task.Run(async () => await Two.DeleteManifestAsync(Repository, moved.Digest)));

            foreach (var instance in new[] { One, Two })
            {
                if (await instance.ResolveTagAsync(Repository, "latest") is { } tagged)
                {
                    Assert.NotNull(await instance.GetManifestAsync(Repository, tagged));
                }
            }
        }
    }

    [Fact]
    public async Task ImmutableTag_PushedThroughBoth_IsWonByExactlyOne()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var tag = $"release-{round}";
            var candidates = Enumerable.Range(0, 4).Select(i => Manifest($"candidate {round} {i}")).ToList();

            var results = await Task.WhenAll(candidates.Select((candidate, i) => Task.Run(async () =>
                await (i % 2 == 0 ? One : Two).PutManifestAsync(Repository, candidate, ManifestReferences.None, tag, tagIsImmutable: true))));

            var winner = Assert.Single(candidates.Zip(results), c => c.Second.Stored).First;
            Assert.All(results.Where(r => !r.Stored), r => Assert.Equal(ManifestPutStatus.TagImmutable, r.Status));
            Assert.Equal(winner.Digest, await Two.ResolveTagAsync(Repository, tag));
        }
    }

    [Fact]
    public async Task ManifestPut_RacingTheCollectorsUnlinkOfItsBlob_EitherKeepsTheBlobOrIsRefused()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var layer = TestContent.DigestOf($"layer {round}");
            await One.LinkBlobAsync(Repository, layer);
            _clock.Advance(TimeSpan.FromHours(1));
            var image = Manifest($"image {round}");

            var put = Task.Run(async () => await One.PutManifestAsync(Repository, image, new ManifestReferences([layer], []), tag: null));
            var unlink = Task.Run(async () => await Two.UnlinkUnusedBlobAsync(Repository, layer, _clock.Now));
            await Task.WhenAll(put, unlink);

            if ((await put).Stored)
            {
                Assert.False(await unlink);
                Assert.True(await Two.IsBlobLinkedAsync(Repository, layer));
            }
            else
            {
                Assert.Equal(new ManifestPutResult(ManifestPutStatus.MissingReference, layer), await put);
                Assert.True(await unlink);
                Assert.Null(await Two.GetManifestAsync(Repository, image.Digest));
            }
        }
    }

    private static ManifestRecord Manifest(string name) =>
        new(TestContent.DigestOf(name), "application/vnd.oci.image.manifest.v1+json", 100 + name.Length);
}
