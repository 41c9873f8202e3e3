using System.Text.Json.Serialization;

namespace OciRegistry.Storage.FileSystem;

/// <summary>The small JSON files of the layout, serialized without reflection.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UploadInfoDocument))]
internal sealed partial class FileSystemJsonContext : JsonSerializerContext;

/// <summary>The content of <c>uploads/&lt;id&gt;/info.json</c>.</summary>
internal sealed record UploadInfoDocument(string Repository, DateTimeOffset StartedAt);
