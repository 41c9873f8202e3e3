using System.Text.Json.Serialization;

namespace OciRegistry.Storage.PostgreSql;

/// <summary>A manifest's annotations as kept in <c>manifests.annotations</c> (jsonb), serialized without reflection.</summary>
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
internal sealed partial class PostgreSqlJsonContext : JsonSerializerContext;
