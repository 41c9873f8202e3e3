using System.Diagnostics;
using System.Globalization;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace OciRegistry.Benchmarks.ObjectStorage;

/// <summary>
/// The bound the registry's Azure Blob store is held to (<c>benchmarks/compare-reference.sh --store azure</c>): the
/// Azure SDK alone moving the same bytes to and from the same Azurite, no registry in between, with the SDK's own
/// default transfer settings. Each operation prints one figure on one line.
/// </summary>
internal static class AzureSdkBound
{
    private const string Usage = """
        azure-sdk-bound CONNECTION_STRING CONTAINER create                 creates CONTAINER (prints 0)
        azure-sdk-bound CONNECTION_STRING CONTAINER upload NAME FILE       seconds to upload FILE as NAME
        azure-sdk-bound CONNECTION_STRING CONTAINER blocks NAME FILE BYTES seconds to stage FILE as blocks of BYTES one after another, then commit them
        azure-sdk-bound CONNECTION_STRING CONTAINER patches NAME FILE PATCH BLOCK AT_ONCE COMMIT_EACH
                                                                           seconds to send FILE in pieces of PATCH bytes one after another, each as
                                                                           blocks of BLOCK bytes, AT_ONCE in flight, committed after each piece when
                                                                           COMMIT_EACH is 1 (else once at the end)
        azure-sdk-bound CONNECTION_STRING CONTAINER download NAME          seconds to download NAME (discarded)
        azure-sdk-bound CONNECTION_STRING CONTAINER download NAME FIRST RANGE AT_ONCE
                                                                           the same with the SDK's transfer options: FIRST bytes in one response, the
                                                                           rest in ranges of RANGE bytes, AT_ONCE in flight
        azure-sdk-bound CONNECTION_STRING CONTAINER ranged NAME SECONDS    1 MiB ranged downloads per second, 8 at a time
        azure-sdk-bound CONNECTION_STRING CONTAINER small COUNT            images per second: COUNT × (2 layers of 1-32 KiB, config, manifest) uploaded one after another
        """;

    private const int MiB = 1024 * 1024;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 3)
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        var container = new BlobServiceClient(args[0]).GetBlobContainerClient(args[1]);
        await container.CreateIfNotExistsAsync();
        var figure = args[2..] switch
        {
            ["create"] => 0,
            ["upload", var name, var file] => await TimeAsync(() => container.GetBlobClient(name).UploadAsync(file, overwrite: true)),
            ["blocks", var name, var file, var bytes] => await TimeAsync(() => StageOneAfterAnotherAsync(container.GetBlockBlobClient(name), file, int.Parse(bytes, CultureInfo.InvariantCulture))),
            ["patches", var name, var file, var patch, var block, var atOnce, var commitEach] => await TimeAsync(() => PatchesAsync(
                container.GetBlockBlobClient(name),
                file,
                int.Parse(patch, CultureInfo.InvariantCulture),
                int.Parse(block, CultureInfo.InvariantCulture),
                int.Parse(atOnce, CultureInfo.InvariantCulture),
                commitEach == "1")),
            ["download", var name] => await TimeAsync(() => container.GetBlobClient(name).DownloadToAsync(Stream.Null)),
            ["download", var name, var first, var range, var atOnce] => await TimeAsync(() => container.GetBlobClient(name).DownloadToAsync(
                Stream.Null,
                new BlobDownloadToOptions
                {
                    TransferOptions = new StorageTransferOptions
                    {
                        InitialTransferSize = long.Parse(first, CultureInfo.InvariantCulture),
                        MaximumTransferSize = long.Parse(range, CultureInfo.InvariantCulture),
                        MaximumConcurrency = int.Parse(atOnce, CultureInfo.InvariantCulture),
                    },
                })),
            ["ranged", var name, var seconds] => await RangedRateAsync(container.GetBlobClient(name), TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture))),
            ["small", var count] => await SmallImagesRateAsync(container, int.Parse(count, CultureInfo.InvariantCulture)),
            _ => double.NaN,
        };
        if (double.IsNaN(figure))
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        Console.WriteLine(figure.ToString(CultureInfo.InvariantCulture));
        return 0;
    }

    private static async Task<double> TimeAsync(Func<Task> operation)
    {
        var watch = Stopwatch.StartNew();
        await operation();
        return watch.Elapsed.TotalSeconds;
    }

    // The shape a chunked client imposes: one PATCH after another, each stored before the next is sent, the blob
    // committed once at the end. UploadAsync instead sends the blocks of one file several at once.
    private static async Task StageOneAfterAnotherAsync(BlockBlobClient blob, string file, int blockBytes)
    {
        var ids = new List<string>();
        var buffer = new byte[blockBytes];
        await using var source = File.OpenRead(file);
        int read;
        while ((read = await source.ReadAtLeastAsync(buffer, blockBytes, throwOnEndOfStream: false)) > 0)
        {
            var id = Convert.ToBase64String(BitConverter.GetBytes((long)ids.Count));
            await blob.StageBlockAsync(id, new MemoryStream(buffer, 0, read, writable: false));
            ids.Add(id);
        }

        await blob.CommitBlockListAsync(ids);
    }

    // A chunked client's PATCHes as a store could send them at best: each PATCH's bytes as blocks several at once, the
    // PATCH done when all are staged (and committed, when every PATCH must leave its prefix readable).
    private static async Task PatchesAsync(BlockBlobClient blob, string file, int patchBytes, int blockBytes, int atOnce, bool commitEach)
    {
        var ids = new List<string>();
        var buffer = new byte[patchBytes];
        using var gate = new SemaphoreSlim(atOnce);
        await using var source = File.OpenRead(file);
        int read;
        while ((read = await source.ReadAtLeastAsync(buffer, patchBytes, throwOnEndOfStream: false)) > 0)
        {
            var sends = new List<Task>();
            for (var start = 0; start < read; start += blockBytes)
            {
                var id = Convert.ToBase64String(BitConverter.GetBytes((long)ids.Count));
                ids.Add(id);
                var content = new MemoryStream(buffer, start, Math.Min(blockBytes, read - start), writable: false);
                await gate.WaitAsync();
                sends.Add(StageAsync(id, content));
            }

            await Task.WhenAll(sends);
            if (commitEach)
            {
                await blob.CommitBlockListAsync(ids);
            }
        }

        if (!commitEach)
        {
            await blob.CommitBlockListAsync(ids);
        }

        async Task StageAsync(string id, Stream content)
        {
            try
            {
                await blob.StageBlockAsync(id, content);
            }
            finally
            {
                gate.Release();
            }
        }
    }

    // Eight readers, as wrk's eight connections in the registry's ranged scenario, each reading random whole MiB.
    private static async Task<double> RangedRateAsync(BlobClient blob, TimeSpan duration)
    {
        var mebibytes = (await blob.GetPropertiesAsync()).Value.ContentLength / MiB;
        var watch = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var count = 0;
            while (watch.Elapsed < duration)
            {
                var range = new HttpRange(Random.Shared.NextInt64(mebibytes) * MiB, MiB);
                using var download = (await blob.DownloadStreamingAsync(new BlobDownloadOptions { Range = range })).Value;
                await download.Content.CopyToAsync(Stream.Null);
                count++;
            }

            return count;
        })));
        return counts.Sum() / watch.Elapsed.TotalSeconds;
    }

    // What a registry must store per small image, as the registry's scenario pushes it: two layers, a config, a manifest.
    private static async Task<double> SmallImagesRateAsync(BlobContainerClient container, int count)
    {
        var watch = Stopwatch.StartNew();
        for (var image = 0; image < count; image++)
        {
            foreach (var size in new[] { Random.Shared.Next(1024, 32 * 1024), Random.Shared.Next(1024, 32 * 1024), 200, 400 })
            {
                var bytes = new byte[size];
                Random.Shared.NextBytes(bytes);
                await container.GetBlobClient($"small/{Guid.NewGuid():N}").UploadAsync(BinaryData.FromBytes(bytes), overwrite: true);
            }
        }

        return count / watch.Elapsed.TotalSeconds;
    }
}
