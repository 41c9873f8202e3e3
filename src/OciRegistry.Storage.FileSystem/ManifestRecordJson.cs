using System.Text.Json;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.FileSystem;

/// <summary>Converts a <see cref="ManifestRecord"/> to and from its file's JSON.</summary>
internal static class ManifestRecordJson
{
    /// <summary>The record's file content, stamped as pushed at <paramref name="pushedAt"/>.</summary>
    public static byte[] Serialize(ManifestRecord record, DateTimeOffset pushedAt)
    {
        var document = new ManifestRecordDocument(
            record.MediaType,
            record.Size,
            record.Subject?.ToString(),
            record.ArtifactType,
            record.Annotations is null ? null : new Dictionary<string, string>(record.Annotations, StringComparer.Ordinal),
            record.ReferencedSize,
            record.Platforms?.ToList(),
            pushedAt);
        return JsonSerializer.SerializeToUtf8Bytes(document, FileSystemJsonContext.Default.ManifestRecordDocument);
    }

    /// <exception cref="JsonException">The file is not a manifest record.</exception>
    public static ManifestRecord Deserialize(Digest digest, byte[] json)
    {
        var document = JsonSerializer.Deserialize(json, FileSystemJsonContext.Default.ManifestRecordDocument)
            ?? throw new JsonException($"The record of manifest {digest} is empty.");
        return new ManifestRecord(
            digest,
            document.MediaType,
            document.Size,
            document.Subject is null ? null : Digest.Parse(document.Subject),
            document.ArtifactType,
            document.Annotations)
        {
            ReferencedSize = document.ReferencedSize,
            Platforms = document.Platforms,
            PushedAt = document.PushedAt,
        };
    }
}
