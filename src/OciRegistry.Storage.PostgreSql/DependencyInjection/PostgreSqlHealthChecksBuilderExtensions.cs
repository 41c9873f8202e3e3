using Microsoft.Extensions.Diagnostics.HealthChecks;
using OciRegistry.Storage.PostgreSql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The health check of a registry's PostgreSQL metadata.</summary>
public static class PostgreSqlHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check that the metadata database of <c>AddPostgreSqlMetadata</c> answers and is at
    /// <see cref="PostgreSqlSchema.Version"/> (tagged <c>database</c>); put it on the readiness probe, so an instance
    /// that lost its database is taken out of rotation.
    /// </summary>
    public static IHealthChecksBuilder AddOciRegistryPostgreSql(this IHealthChecksBuilder builder, string name = "oci-registry-postgresql")
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddCheck<PostgreSqlHealthCheck>(name, HealthStatus.Unhealthy, ["database"]);
    }
}
