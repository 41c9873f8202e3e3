using System.Text.Json.Serialization;

namespace OciRegistry.Storage.Sqlite;

/// <summary>A manifest's annotations as kept in <c>manifests.annotations</c>, serialized without reflection.</summary>
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
internal sealed partial class SqliteJsonContext : JsonSerializerContext;
