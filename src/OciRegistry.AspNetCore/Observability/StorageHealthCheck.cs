using OciRegistry.Core.References;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OciRegistry.Core.Storage;

namespace OciRegistry.AspNetCore.Observability;

/// <summary>
/// Healthy when storage can be read and written: lists a repository, then writes a few bytes to a fresh upload
/// session, reads them back and deletes the session (blobs and repositories are left untouched).
/// </summary>
internal sealed class StorageHealthCheck(IMetadataStore metadata, IUploadStore uploads) : IHealthCheck
{
    private static readonly byte[] Probe = "oci-registry health probe"u8.ToArray();
    private static readonly RepositoryName ProbeRepository = RepositoryName.Parse("health-check");

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        UploadSession? session = null;
        try
        {
            await metadata.ListRepositoriesAsync(after: null, limit: 1, cancellationToken).ConfigureAwait(false);
            session = await uploads.CreateAsync(ProbeRepository, cancellationToken).ConfigureAwait(false);
            var (status, writer) = await uploads.OpenWriterAsync(session.Id, 0, cancellationToken).ConfigureAwait(false);
            if (status != UploadWriteStatus.Opened || writer is null)
            {
                return HealthCheckResult.Unhealthy($"storage refused a write ({status})");
            }

            await using (writer.ConfigureAwait(false))
            {
                await writer.WriteAsync(new(Probe), cancellationToken).ConfigureAwait(false);
            }

            return await ReadsBackAsync(session.Id, cancellationToken).ConfigureAwait(false)
                ? HealthCheckResult.Healthy("storage is readable and writable")
                : HealthCheckResult.Unhealthy("storage did not return what was written");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("storage is not usable: " + e.Message, e);
        }
        finally
        {
            if (session is not null)
            {
                await uploads.DeleteAsync(session.Id, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> ReadsBackAsync(string id, CancellationToken cancellationToken)
    {
        var content = await uploads.OpenReadAsync(id, cancellationToken).ConfigureAwait(false);
        if (content is null)
        {
            return false;
        }

        await using (content.ConfigureAwait(false))
        {
            var buffer = new byte[Probe.Length];
            var read = 0;
            int last;
            while (read < buffer.Length && (last = await content.ReadAsync(read, buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0)
            {
                read += last;
            }

            return buffer.AsSpan(0, read).SequenceEqual(Probe);
        }
    }
}
