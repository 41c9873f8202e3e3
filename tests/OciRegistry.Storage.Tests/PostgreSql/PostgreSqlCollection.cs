namespace OciRegistry.Storage.Tests.PostgreSql;

/// <summary>The xunit side of <see cref="PostgreSqlServer"/>: a fixture started before and stopped after its tests.</summary>
public sealed partial class PostgreSqlServer : IAsyncLifetime;

/// <summary>The test classes that share one <see cref="PostgreSqlServer"/> (each test in a database of its own).</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlServer>
{
    /// <summary>The collection's name, for <c>[Collection(PostgreSqlCollection.Name)]</c>.</summary>
    public const string Name = "PostgreSQL";
}
