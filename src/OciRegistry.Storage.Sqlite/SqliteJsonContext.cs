using System.Text.Json.Serialization;

namespace OciRegistry.Storage.Sqlite;

/// <summary>A manifest's annotations and platforms as kept in <c>manifests</c>, serialized without reflection.</summary>
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class SqliteJsonContext : JsonSerializerContext;
