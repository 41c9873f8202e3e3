using System.Text.Json.Serialization;

namespace OciRegistry.Storage.FileSystem;

/// <summary>The small JSON files of the layout, serialized without reflection.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UploadInfoDocument))]
[JsonSerializable(typeof(ManifestRecordDocument))]
internal sealed partial class FileSystemJsonContext : JsonSerializerContext;

/// <summary>The content of <c>uploads/&lt;id&gt;/info.json</c>.</summary>
internal sealed record UploadInfoDocument(string Repository, DateTimeOffset StartedAt);

/// <summary>The content of <c>_manifests/&lt;alg&gt;/&lt;hex&gt;</c>; the digest is the file's name.</summary>
internal sealed record ManifestRecordDocument(
    string MediaType,
    long Size,
    string? Subject,
    string? ArtifactType,
    Dictionary<string, string>? Annotations,
    long? ReferencedSize = null,
    List<string>? Platforms = null,
    DateTimeOffset? PushedAt = null);
