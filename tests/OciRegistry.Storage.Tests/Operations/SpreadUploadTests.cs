using System.Diagnostics.Metrics;
using System.IO.Pipelines;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Observability;
using OciRegistry.Core.Operations;
using OciRegistry.Storage.FileSystem;
using OciRegistry.Storage.Sqlite;
using OciRegistry.Storage.Tests.FileSystem;

namespace OciRegistry.Storage.Tests.Operations;

/// <summary>
/// An upload whose requests a front spreads over several instances (each with its own hash cache, on one root and one
/// metadata database): each instance catches its running hash up over only the chunks the others appended, so what is
/// read back is linear in the blob however the chunks are spread, and the blob commits with exactly its bytes.
/// </summary>
public sealed class SpreadUploadTests
{
    private const string Repository = "team/app";
    private const int ChunkBytes = 10_000;

    [Fact]
    public async Task ChunksTakingTurnsOverThreeInstances_ReadBackOnlyWhatEachDidNotWrite()
    {
        // 12 chunks round-robin over 3 instances, the PUT on the first: each instance re-reads the chunks written by the
        // other two since its own last one. Re-hashing the prefix from scratch instead would read 0+1+…+11 chunks and the
        // PUT's 12: 78 chunks, against 23 here.
        var reread = await UploadAsync([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], finisher: 0);

        Assert.Equal((1 + 2 + (9 * 2) + 2) * ChunkBytes, reread);
    }

    [Property(MaxTest = 25)]
    public async Task<bool> AnySpreadOfChunks_CommitsTheBlob_AndReadsBackAtMostTheBlobPerOtherInstance(int[] picks, int finisherPick)
    {
        // Each instance reads back only chunks it has not hashed yet, each at most once: at most the blob for each of
        // the other two.
        int[] spread = picks.Length == 0 ? [0] : [.. picks.Take(12).Select(pick => (int)((uint)pick % 3))];

        var reread = await UploadAsync(spread, (int)((uint)finisherPick % 3));

        return reread <= 2L * spread.Length * ChunkBytes;
    }

    // Pushes spread.Length chunks, chunk i through instance spread[i], then the PUT through finisher; asserts the blob
    // committed with exactly its bytes and gives how many bytes the instances read back to catch their hashes up.
    private static async Task<long> UploadAsync(int[] spread, int finisher)
    {
        using var root = new TemporaryRoot();
        using var database = new SqliteMetadataStore(Path.Combine(root.Path, "metadata.db"));
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new RegistryMetrics(services.GetRequiredService<IMeterFactory>());
        using var reread = new MetricCollector<long>(metrics.Meter, "ociregistry.upload.rehashed_bytes");
        var blobs = new FileSystemBlobStore(root.Options);
        var instances = Enumerable.Range(0, 3)
            .Select(_ => new UploadOperations(new FileSystemUploadStore(blobs), database, blobs, database, Options.Create(new RegistryOptions()), metrics: metrics))
            .ToArray();
        var content = TestContent.Bytes(spread.Length * ChunkBytes, seed: spread.Length);
        var digest = DigestHasher.Compute(content);
        var session = (await instances[spread[0]].StartAsync(Repository)).Value;

        for (var chunk = 0; chunk < spread.Length; chunk++)
        {
            var body = PipeReader.Create(new MemoryStream(content, chunk * ChunkBytes, ChunkBytes));
            Assert.True((await instances[spread[chunk]].AppendAsync(Repository, session.Id, (long)chunk * ChunkBytes, body)).IsSuccess);
        }

        Assert.Equal(digest, (await instances[finisher].CompleteAsync(Repository, session.Id, digest.ToString(), rangeStart: null, finalChunk: null)).Value);
        await using var stored = await blobs.OpenAsync(digest);
        Assert.Equal(content, await TestContent.ReadAllAsync(stored!));
        return reread.GetMeasurementSnapshot().Sum(measurement => measurement.Value);
    }
}
