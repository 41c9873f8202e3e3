using Microsoft.Extensions.Diagnostics.HealthChecks;
using OciRegistry.AspNetCore.Observability;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Health checks for a host running the OCI registry.</summary>
public static class OciRegistryHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check that the registry's storage is readable and writable (it writes a small upload session, reads it
    /// back and deletes it). Map it with <c>app.MapHealthChecks("/healthz")</c>.
    /// </summary>
    public static IHealthChecksBuilder AddOciRegistryStorage(this IHealthChecksBuilder builder, string name = "oci-registry-storage")
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddCheck<StorageHealthCheck>(name, HealthStatus.Unhealthy, ["storage"]);
    }
}
