namespace OciRegistry.Core.Operations;

/// <summary>
/// Retries a link the metadata store refused because a collector is deleting the blob's bytes at that moment
/// (<see cref="Storage.IMetadataStore.BeginBlobDeletionAsync"/>). A collector deletes one blob in milliseconds, so a
/// few short waits almost always see the deletion end; one that outlasts them (a collector stuck or killed while it
/// holds its lease) makes the push fail with an error the client retries.
/// </summary>
internal static class DeletionWait
{
    // 50 + 100 + 200 + 400 + 800 ms: 1.55 s in all before giving up.
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(50);
    private const int Retries = 5;

    /// <summary>Runs <paramref name="attempt"/> until <paramref name="refused"/> is false of its result, or the retries run out.</summary>
    public static async ValueTask<T> RetryAsync<T>(Func<ValueTask<T>> attempt, Func<T, bool> refused, TimeProvider time, CancellationToken cancellationToken)
    {
        var delay = FirstDelay;
        for (var retry = 0; ; retry++)
        {
            var result = await attempt().ConfigureAwait(false);
            if (!refused(result) || retry == Retries)
            {
                return result;
            }

            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            delay *= 2;
        }
    }
}
