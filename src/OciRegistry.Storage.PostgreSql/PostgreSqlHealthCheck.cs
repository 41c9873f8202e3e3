using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace OciRegistry.Storage.PostgreSql;

/// <summary>
/// Healthy when the metadata database answers and is at the schema version this binary knows. An instance whose
/// database is gone, or was migrated past it by a newer release, must not take requests: the storage check alone
/// would still pass the second case, since old statements may run on a newer schema and write what it no longer means.
/// </summary>
internal sealed class PostgreSqlHealthCheck(PostgreSqlMetadataDataSource database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await PostgreSqlSchema.EnsureCurrentAsync(database.DataSource, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"PostgreSQL answers at schema version {PostgreSqlSchema.Version}");
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL metadata is not usable: " + e.Message, e);
        }
    }
}
