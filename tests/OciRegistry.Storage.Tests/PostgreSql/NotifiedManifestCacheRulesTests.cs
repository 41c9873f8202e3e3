using FsCheck;
using FsCheck.Xunit;
using OciRegistry.Core.References;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.PostgreSql;

namespace OciRegistry.Storage.Tests.PostgreSql;

/// <summary>The notified manifest cache's own rules, without a database: fills, invalidations, listening, its bound.</summary>
public sealed class NotifiedManifestCacheRulesTests
{
    private static readonly RepositoryName Repository = RepositoryName.Parse("team/app");

    [Fact]
    public void AFill_ThatRacedAnInvalidation_IsNotKept()
    {
        var cache = Listening();
        var record = Manifest("image");
        var generation = cache.StartFill();
        cache.Invalidate(Repository.Value);
        cache.Fill(Repository.Value, "latest", record, generation);
        Assert.False(cache.TryGet(Repository.Value, "latest", out _));

        cache.Fill(Repository.Value, "latest", record, cache.StartFill());
        Assert.True(cache.TryGet(Repository.Value, "latest", out var kept));
        Assert.Same(record, kept);
    }

    [Fact]
    public void WhileNotListening_NothingIsKept()
    {
        var cache = new NotifiedManifestCache();
        Assert.Null(cache.StartFill());

        cache.Fill(Repository.Value, "latest", Manifest("image"), generation: 0);

        Assert.False(cache.TryGet(Repository.Value, "latest", out _));
    }

    [Fact]
    public void AtCapacity_TheNextFillEmptiesTheCacheFirst()
    {
        var cache = Listening();
        for (var i = 0; i < NotifiedManifestCache.Capacity; i++)
        {
            cache.Fill(Repository.Value, $"tag{i}", Manifest($"image {i}"), cache.StartFill());
        }

        Assert.True(cache.TryGet(Repository.Value, "tag0", out _));

        cache.Fill(Repository.Value, "one more", Manifest("one more"), cache.StartFill());

        Assert.False(cache.TryGet(Repository.Value, "tag0", out _));
        Assert.True(cache.TryGet(Repository.Value, "one more", out _));
    }

    // Any interleaving of writes (each announced by a notification that arrives later), fills (a query, then its
    // result kept), deliveries and reconnects: whatever the cache answers is the database's current record, unless that
    // record's change is still on its way (the notification delay the option accepts).
    [Property(MaxTest = 300)]
    public bool WhateverTheInterleaving_AHitIsCurrent_OrItsChangeIsStillOnItsWay(NonNegativeInt[] steps)
    {
        string[] repositories = ["team/app", "team/db"];
        var cache = Listening();
        var database = repositories.ToDictionary(r => r, _ => 0);
        var undelivered = new List<string>();
        var fills = new Queue<(string Repository, long? Generation, int Version)>();
        foreach (var step in steps.Select(s => s.Get))
        {
            var repository = repositories[step / 5 % repositories.Length];
            switch (step % 5)
            {
                case 0:
                    database[repository]++;
                    undelivered.Add(repository);
                    break;
                case 1:
                    fills.Enqueue((repository, cache.StartFill(), database[repository]));
                    break;
                case 2 when fills.TryDequeue(out var fill):
                    cache.Fill(fill.Repository, "latest", Record(fill.Repository, fill.Version), fill.Generation);
                    break;
                case 3 when undelivered.Count > 0:
                    cache.Invalidate(undelivered[0]);
                    undelivered.RemoveAt(0);
                    break;
                case 4:
                    cache.StopListening();
                    undelivered.Clear();
                    cache.StartListening();
                    break;
            }

            foreach (var name in repositories)
            {
                if (cache.TryGet(name, "latest", out var hit) && hit!.Digest != Record(name, database[name]).Digest && !undelivered.Contains(name))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static NotifiedManifestCache Listening()
    {
        var cache = new NotifiedManifestCache();
        cache.StartListening();
        return cache;
    }

    private static ManifestRecord Record(string repository, int version) => Manifest($"{repository} {version}");

    private static ManifestRecord Manifest(string name) =>
        new(TestContent.DigestOf(name), "application/vnd.oci.image.manifest.v1+json", 100 + name.Length);
}
