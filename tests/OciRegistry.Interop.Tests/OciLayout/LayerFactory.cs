using System.Formats.Tar;
using System.IO.Compression;

namespace OciRegistry.Interop.Tests.OciLayout;

/// <summary>Makes real, deterministic image layers: a tar of a few files, and its gzip.</summary>
internal static class LayerFactory
{
    private static readonly DateTimeOffset FixedTime = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>An uncompressed tar whose files hold bytes derived from <paramref name="seed"/>.</summary>
    public static byte[] CreateTar(int seed, int fileCount = 3, int fileBytes = 16 * 1024)
    {
        var random = new Random(seed);
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, $"layer-{seed}/") { ModificationTime = FixedTime, Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute });
            for (var file = 0; file < fileCount; file++)
            {
                var content = new byte[fileBytes];
                random.NextBytes(content);
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"layer-{seed}/file-{file}.bin")
                {
                    ModificationTime = FixedTime,
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                    DataStream = new MemoryStream(content),
                });
            }
        }

        return tar.ToArray();
    }

    /// <summary>The gzip of <paramref name="tar"/>.</summary>
    public static byte[] Gzip(byte[] tar)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(tar);
        }

        return compressed.ToArray();
    }
}
