namespace OciRegistry.Benchmarks.Ui;

/// <summary>The metadata store the list pages are measured on.</summary>
public enum UiBenchmarkBackend
{
    /// <summary><c>InMemoryMetadataStore</c>, seeded through the store contract.</summary>
    InMemory,

    /// <summary><c>SqliteMetadataStore</c> on a file in the temp folder, seeded in one bulk transaction.</summary>
    Sqlite,

    /// <summary><c>PostgreSqlMetadataStore</c> on a server of its own (as the tests start it), seeded with COPY.</summary>
    PostgreSql,
}
