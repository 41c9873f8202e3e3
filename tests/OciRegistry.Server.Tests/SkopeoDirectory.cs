using System.IO.Compression;
using System.Text.Json;

namespace OciRegistry.Server.Tests;

/// <summary>What <c>skopeo copy ... dir:FOLDER</c> leaves: <c>manifest.json</c>, and each blob in a file named by its hex digest.</summary>
internal static class SkopeoDirectory
{
    public static JsonDocument ReadManifest(string folder) => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "manifest.json")));

    public static string BlobPath(string folder, string digest) => Path.Combine(folder, digest[(digest.IndexOf(':', StringComparison.Ordinal) + 1)..]);

    /// <summary>The uncompressed content of the manifest's <paramref name="layer"/> descriptor.</summary>
    public static Stream OpenLayer(string folder, JsonElement layer)
    {
        var file = File.OpenRead(BlobPath(folder, layer.GetProperty("digest").GetString()!));
        return layer.GetProperty("mediaType").GetString()!.EndsWith("gzip", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }
}
