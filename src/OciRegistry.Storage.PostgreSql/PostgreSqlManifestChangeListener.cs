using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OciRegistry.Storage.PostgreSql;

/// <summary>
/// Keeps one connection of this instance listening on <see cref="Channel"/>, where triggers on the tags and manifests
/// tables announce each changed repository (schema version 6), and drops that repository from the
/// <see cref="NotifiedManifestCache"/>. Confirms the cache only once <c>LISTEN</c> has succeeded, and takes that back
/// the moment the connection fails; it then connects again after <see cref="RetryDelay"/>. Idle unless
/// <see cref="PostgreSqlMetadataOptions.NotifiedCache"/> is on.
/// </summary>
internal sealed partial class PostgreSqlManifestChangeListener(
    NpgsqlDataSource listenerSource,
    NotifiedManifestCache cache,
    IOptions<PostgreSqlMetadataOptions> options,
    TimeProvider time,
    ILogger<PostgreSqlManifestChangeListener> logger) : BackgroundService
{
    /// <summary>The notification channel; each payload is a repository name.</summary>
    public const string Channel = "ociregistry_manifests";

    /// <summary>The listening connection's <c>application_name</c> unless the connection string names one.</summary>
    public const string ApplicationName = "oci-registry manifest listener";

    /// <summary>The wait before connecting again after the listening connection failed.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.NotifiedCache)
        {
            return;
        }

        while (true)
        {
            try
            {
                await ListenAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                cache.StopListening();
                return;
            }
            catch (Exception failure)
            {
                Log.Lost(logger, failure);
            }

            // The wait starts before the loss is announced, so a clock moved by whoever reacts to it moves this wait.
            var retry = Task.Delay(RetryDelay, time, stoppingToken);
            cache.StopListening();
            try
            {
                await retry.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    // Returns only by an exception: the connection failed, or the host stops.
    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var connection = await listenerSource.OpenConnectionAsync(stoppingToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            connection.Notification += (_, notification) => cache.Invalidate(notification.Payload);
            var listen = new NpgsqlCommand($"LISTEN {Channel}", connection);
            await using (listen.ConfigureAwait(false))
            {
                await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
            }

            cache.StartListening();
            Log.Listening(logger);
            while (true)
            {
                await connection.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(60, LogLevel.Information, "Listening for manifest changes in PostgreSQL: the notified manifest cache is on")]
        public static partial void Listening(ILogger logger);

        [LoggerMessage(61, LogLevel.Warning, "The PostgreSQL connection listening for manifest changes failed; the notified manifest cache is bypassed until it is back")]
        public static partial void Lost(ILogger logger, Exception exception);
    }
}
