using System.Net;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using OciRegistry.Interop.Tests.Containerd;
using OciRegistry.Interop.Tests.OciLayout;
using OciRegistry.Interop.Tests.Skopeo;
using OciRegistry.Server.Tests;
using OciRegistry.Storage.Tests.PostgreSql;
using OciRegistry.Testing;

namespace OciRegistry.Interop.Tests.MultiInstance;

/// <summary>
/// Three stateless instances behind one round-robin front, as replicas behind a Kubernetes Service: real server
/// processes on one PostgreSQL database and one blob store (each case names which), real clients (skopeo,
/// containerd). Whatever the scheduling, every acknowledged push stays pullable with its exact bytes through every
/// instance left, and <c>verify</c> finds nothing wrong, also after an instance is killed in the middle of uploads and
/// a collection.
/// </summary>
public abstract class RoundRobinInstancesTests(PostgreSqlServer postgres)
{
    // Instance 2 collects garbage all the time (and is the one killed); 0 and 1 only serve.
    private const int Collector = 2;

    // The large blob goes through the front in PATCHes of this size, each to the next instance.
    private const long LargeChunkBytes = 32 * 1024 * 1024;

    /// <summary>How large the blob pushed in chunks and pulled back whole is.</summary>
    protected abstract long LargeBlobBytes { get; }

    [Fact]
    public async Task ThreeInstances_BehindARoundRobinFront_KeepEveryAcknowledgedPush_ThroughSpreadUploads_TagMoves_ACollection_AndAKill()
    {
        await using var instances = await RegistryInstances.StartAsync(postgres, 3, CreateStorage(), i => i == Collector
            ? ["--OciRegistry:Gc:Interval", "00:00:00.200", "--OciRegistry:Gc:LeaseDuration", "00:00:05"]
            : []);
        await using var front = await RoundRobinFront.StartAsync([.. instances.Servers.Select(s => s.Addresses.Single())]);
        // The PUT of the large blob answers once an instance has read it back to hash it: a hang guard, not a timing assertion.
        using var viaFront = new HttpClient { BaseAddress = new Uri(front.Address), Timeout = TimeSpan.FromMinutes(10) };
        using var skopeo = new SkopeoCli();
        var work = Directory.CreateTempSubdirectory("oci-round-robin-");
        var acknowledged = new List<(string Repository, string Digest)>();
        try
        {
            // skopeo pushes a two-platform image of three layers each through the front: its uploads' requests (POST,
            // PATCH, PUT) land on different instances.
            var layout = new OciLayoutWriter(Path.Combine(work.FullName, "layout"));
            var amd64 = layout.AddImage([1, 2, 3], architecture: "amd64");
            var arm64 = layout.AddImage([4, 5, 6], architecture: "arm64");
            var index = layout.AddIndex([(amd64, "linux", "amd64"), (arm64, "linux", "arm64")]);
            layout.Tag(index, "1.0");
            await skopeo.RunSucceedingAsync("copy", "--all", "--dest-tls-verify=false", $"oci:{layout.Folder}:1.0", $"docker://{front.HostPort}/multi/app:1.0");
            acknowledged.Add(("multi/app", index.Digest));
            Assert.NotEmpty(front.UploadsSpreadOverInstances());
            Assert.Equal(new[] { 0, 1, 2 }, front.Forwarded.Select(r => r.Instance).Distinct().Order());

            // A chunked upload alone at the front: each of its requests goes to the next instance, so every PATCH (of
            // 1 MiB) lands on an instance that did not hash what came before it.
            var chunked = RandomNumberGenerator.GetBytes(4 * 1024 * 1024);
            var chunkedDigest = PullCheck.DigestOf(chunked);
            var upload = await ChunkedUpload.StartAsync(viaFront, "multi/chunked");
            foreach (var chunk in chunked.Chunk(1024 * 1024))
            {
                await upload.PatchAsync(viaFront, chunk);
            }

            await upload.FinishAsync(viaFront, chunkedDigest);
            var spread = front.UploadsSpreadOverInstances().Single(u => upload.Location.Contains(u.Key, StringComparison.Ordinal)).Value;
            Assert.Equal(6, spread.Count);
            Assert.Equal(new[] { 0, 1, 2 }, spread.Distinct().Order());
            acknowledged.Add(("multi/chunked", (await new RegistrySeeder(viaFront).PushImageAsync("multi/chunked", "1.0", [chunked])).ManifestDigest.ToString()));
            acknowledged.Add(("multi/large", await PushLargeImageInChunksAsync(viaFront, new GeneratedBlob(LargeBlobBytes))));

            // containerd pulls the image through another path: straight from instance 1.
            await using (var containerd = await ContainerdDaemon.StartAsync())
            {
                var direct = new Uri(instances.Servers[1].Addresses.Single()).Authority;
                await containerd.CtrSucceedingAsync("images", "pull", "--plain-http", "--all-platforms", $"{direct}/multi/app:1.0");
                var content = await containerd.CtrSucceedingAsync("content", "ls");
                Assert.All(amd64.Layers.Concat(arm64.Layers), layer => Assert.Contains(layer.Digest, content, StringComparison.Ordinal));
            }

            await MoveATagThroughOneInstance_WhilePullsRunThroughTheOthersAsync(instances, viaFront, acknowledged);
            var garbageLayer = await KillTheCollectorInTheMiddleOfACollectionAndOfUploadsAsync(instances, front, viaFront, skopeo, layout, acknowledged);

            // A collection after the kill: once the killed collector's lease has run out, it runs to its end and
            // deletes the garbage the killed one had not; then verify finds nothing corrupt or missing. Nothing is
            // pushed any more, so it runs without a grace period (an object store's blob cannot be made to look old).
            CompletedRun gc;
            using (var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2))) // a hang guard, not a timing assertion
            {
                while ((gc = await instances.RunAsync("gc", "--apply", "--OciRegistry:Gc:GracePeriod", "00:00:00")).ExitCode == 3)
                {
                    await Task.Delay(500, guard.Token);
                }
            }

            Assert.True(gc.ExitCode == 0, gc.Output + gc.Error);
            Assert.False(await IsLinkedAsync(instances, "multi/garbage", garbageLayer));
            Assert.False(await instances.Storage.HoldsBlobAsync(garbageLayer));
            var verify = await instances.RunAsync("verify");
            Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
            Assert.Contains(": 0 corrupt, 0 missing references.", verify.Output, StringComparison.Ordinal);
            Assert.Empty(instances.EntriesInProcessFolders());
            foreach (var survivor in instances.Clients.Take(2))
            {
                foreach (var (repository, digest) in acknowledged)
                {
                    await PullCheck.AssertPullableAsync(survivor, repository, digest);
                }
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    // Instance 0 moves tag "moving" round after round; instances 1 and 2 pull it all along. Every answer is a whole
    // manifest the tag pointed at; once a move is acknowledged, the other instances answer its manifest at once.
    private static async Task MoveATagThroughOneInstance_WhilePullsRunThroughTheOthersAsync(RegistryInstances instances, HttpClient viaFront, List<(string, string)> acknowledged)
    {
        var seeder = new RegistrySeeder(viaFront);
        var images = new List<SeededImage>();
        for (var i = 0; i < 4; i++)
        {
            images.Add(await seeder.PushImageAsync("multi/moving", $"v{i}", [RandomNumberGenerator.GetBytes(2000 + i)]));
            acknowledged.Add(("multi/moving", images[^1].ManifestDigest.ToString()));
        }

        var manifests = new List<(string Digest, byte[] Bytes)>();
        foreach (var image in images)
        {
            manifests.Add((image.ManifestDigest.ToString(), await viaFront.GetByteArrayAsync($"v2/multi/moving/manifests/{image.ManifestDigest}")));
        }

        var mover = new RegistrySeeder(instances.Clients[0]);
        await mover.PushManifestAsync("multi/moving", "moving", manifests[0].Bytes, "application/vnd.oci.image.manifest.v1+json");
        using var moving = new CancellationTokenSource();
        var pulling = instances.Clients.Skip(1).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
        var pulls = instances.Clients.Skip(1).Select((client, i) => Task.Run(async () =>
        {
            try
            {
                while (!moving.IsCancellationRequested)
                {
                    using var response = await client.GetAsync("v2/multi/moving/manifests/moving");
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    var digest = response.Headers.GetValues("Docker-Content-Digest").Single();
                    Assert.Equal(manifests.Single(m => m.Digest == digest).Bytes, await response.Content.ReadAsByteArrayAsync());
                    pulling[i].TrySetResult();
                }
            }
            catch (Exception e) when (pulling[i].TrySetException(e))
            {
                throw;
            }
        })).ToList();
        try
        {
            // The moves start once both other instances are pulling.
            await Task.WhenAll(pulling.Select(p => p.Task));
            for (var round = 1; round <= 12; round++)
            {
                var (digest, bytes) = manifests[round % manifests.Count];
                await mover.PushManifestAsync("multi/moving", "moving", bytes, "application/vnd.oci.image.manifest.v1+json");
                foreach (var other in instances.Clients.Skip(1))
                {
                    Assert.Equal(digest, await PullCheck.ResolveAsync(other, "multi/moving", "moving"));
                }
            }
        }
        finally
        {
            await moving.CancelAsync();
        }

        await Task.WhenAll(pulls);
    }

    // The collector (instance 2) is held inside a collection: the test locks the one blob link the collection must
    // delete, so the collector waits there with its lease taken. Meanwhile pushes run through instances 0 and 1 (none
    // waits for the collection), an upload is between chunks on instance 2 and another in the middle of a chunk on it,
    // and skopeo pushes through the front. Then instance 2 is killed with SIGKILL. Returns the garbage layer, which the
    // killed collection was about to unlink.
    private static async Task<string> KillTheCollectorInTheMiddleOfACollectionAndOfUploadsAsync(
        RegistryInstances instances, RoundRobinFront front, HttpClient viaFront, SkopeoCli skopeo, OciLayoutWriter layout, List<(string, string)> acknowledged)
    {
        var collector = instances.Servers[Collector];
        var viaCollector = instances.Clients[Collector];

        // Garbage: a layer only a manifest, soon deleted, references; as far as the collection can tell, linked a day
        // ago (past its grace period of an hour).
        var garbage = await new RegistrySeeder(instances.Clients[0]).PushImageAsync("multi/garbage", "old", [RandomNumberGenerator.GetBytes(4000)]);
        var garbageLayer = garbage.LayerDigests.Single().ToString();
        await instances.QueryAsync("UPDATE blob_links SET linked_at = linked_at - interval '1 day' WHERE repository = 'multi/garbage'");
        Assert.True(await instances.Storage.HoldsBlobAsync(garbageLayer));

        await using var holder = await instances.Database.OpenConnectionAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await using (var lockLink = new NpgsqlCommand("SELECT 1 FROM blob_links WHERE repository = 'multi/garbage' AND digest = $1 FOR UPDATE", holder, hold))
        {
            lockLink.Parameters.Add(new NpgsqlParameter { Value = garbageLayer });
            Assert.Equal(1, await lockLink.ExecuteScalarAsync());
        }

        using (var deleted = await instances.Clients[0].DeleteAsync($"v2/multi/garbage/manifests/{garbage.ManifestDigest}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        }

        // An upload between chunks on the collector, and one in the middle of a chunk there (holding its writer lease).
        var betweenChunks = RandomNumberGenerator.GetBytes(512 * 1024);
        var between = await ChunkedUpload.StartAsync(viaCollector, "multi/uploads");
        await between.PatchAsync(viaCollector, betweenChunks[..(betweenChunks.Length / 2)]);
        var stalled = await ChunkedUpload.StartAsync(viaCollector, "multi/uploads");
        using var stall = new CancellationTokenSource();
        var cutShort = RandomNumberGenerator.GetBytes(1024 * 1024);
        using var stalledBody = new StalledContent(cutShort[..(64 * 1024)], cutShort.Length);
        using var stalledPatch = stalled.PatchRequest(stalledBody, cutShort.Length);
        var stalledResponse = viaCollector.SendAsync(stalledPatch, stall.Token);
        var stalledId = stalled.Location.Split('/')[^1].Split('?')[0];
        await WaitUntilAsync(async () => await instances.QueryAsync("SELECT lease_owner FROM upload_sessions WHERE id = $1", stalledId) is string);

        // The collector is inside its collection: it waits on the locked link, holding the collector lease.
        var lockHolder = holder.ProcessID;
        await WaitUntilAsync(async () => (long)(await instances.QueryAsync("SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))", lockHolder))! > 0);
        var lease = (string?)await instances.QueryAsync("SELECT holder FROM collector_lease");
        Assert.Contains($"/{collector.ProcessId}/", lease, StringComparison.Ordinal);

        // Pushes through instances 0 and 1 while the collection is held: none waits for it.
        var pushes = Enumerable.Range(0, 6).Select(i => new RegistrySeeder(instances.Clients[i % 2])
            .PushImageAsync($"multi/during-{i}", "1.0", [RandomNumberGenerator.GetBytes(3000), RandomNumberGenerator.GetBytes(1000 + i)])).ToList();
        foreach (var pushed in await Task.WhenAll(pushes))
        {
            acknowledged.Add((pushed.Repository, pushed.ManifestDigest.ToString()));
        }

        // skopeo starts a push through the front (its requests go to every instance in turn), and the collector dies.
        var other = layout.AddImage([7, 8], architecture: "amd64");
        layout.Tag(other.Manifest, "other");
        var skopeoPush = skopeo.RunAsync("copy", "--dest-tls-verify=false", $"oci:{layout.Folder}:other", $"docker://{front.HostPort}/multi/other:1.0");
        await collector.KillAsync();
        front.Remove(Collector);
        Assert.Equal(lease, await instances.QueryAsync("SELECT holder FROM collector_lease"));
        await hold.RollbackAsync();
        Assert.True(await IsLinkedAsync(instances, "multi/garbage", garbageLayer));
        await stall.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => stalledResponse);

        // The survivors finish what the killed instance left: the upload between chunks goes on where it was; the one
        // cut mid-chunk is pushed again from the start (its session stays leased to the dead writer); a failed skopeo
        // push is run again.
        await between.PatchAsync(viaFront, betweenChunks[(betweenChunks.Length / 2)..]);
        await between.FinishAsync(viaFront, PullCheck.DigestOf(betweenChunks));
        acknowledged.Add(("multi/uploads", (await new RegistrySeeder(viaFront).PushImageAsync("multi/uploads", "1.0", [betweenChunks])).ManifestDigest.ToString()));
        acknowledged.Add(("multi/uploads", (await new RegistrySeeder(viaFront).PushImageAsync("multi/uploads", "retried", [cutShort])).ManifestDigest.ToString()));
        if ((await skopeoPush).ExitCode != 0)
        {
            await skopeo.RunSucceedingAsync("copy", "--dest-tls-verify=false", $"oci:{layout.Folder}:other", $"docker://{front.HostPort}/multi/other:1.0");
        }

        acknowledged.Add(("multi/other", other.Manifest.Digest));
        return garbageLayer;
    }

    /// <summary>The blob store the instances share (the test disposes it).</summary>
    private protected abstract InstanceStorage CreateStorage();

    // The large blob goes through the front in chunks made as they are sent (each PATCH to the next instance), then an
    // image of it; returns the image's manifest digest.
    private static async Task<string> PushLargeImageInChunksAsync(HttpClient viaFront, GeneratedBlob large)
    {
        var upload = await ChunkedUpload.StartAsync(viaFront, "multi/large");
        for (long offset = 0; offset < large.Length; offset += LargeChunkBytes)
        {
            var length = Math.Min(LargeChunkBytes, large.Length - offset);
            using var chunk = large.Content(offset, length);
            await upload.PatchAsync(viaFront, chunk, length);
        }

        await upload.FinishAsync(viaFront, large.Digest);
        var seeder = new RegistrySeeder(viaFront);
        var config = Encoding.UTF8.GetBytes($$$"""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["{{{large.Digest}}}"]}}""");
        var configDigest = await seeder.PushBlobAsync("multi/large", config);
        var manifest = Encoding.UTF8.GetBytes($$$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
            "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{configDigest}}}","size":{{{config.Length}}}},
            "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{{large.Digest}}}","size":{{{large.Length}}}}]}
            """);
        return (await seeder.PushManifestAsync("multi/large", "1.0", manifest, "application/vnd.oci.image.manifest.v1+json")).ToString();
    }

    private static async Task<bool> IsLinkedAsync(RegistryInstances instances, string repository, string digest) =>
        await instances.QueryAsync("SELECT 1 FROM blob_links WHERE repository = $1 AND digest = $2", repository, digest) is not null;

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // a hang guard, not a timing assertion
        while (!await condition())
        {
            await Task.Delay(20, guard.Token);
        }
    }
}
