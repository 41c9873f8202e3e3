namespace OciRegistry.Server.Commands;

/// <summary>The process exit codes every command shares.</summary>
internal static class ExitCodes
{
    /// <summary>Done; for <c>verify</c>, nothing corrupt or missing.</summary>
    public const int Success = 0;

    /// <summary><c>verify</c> found corrupt blobs or missing references; a serve that failed after starting.</summary>
    public const int Failure = 1;

    /// <summary>A mistake in the command line or the configuration: nothing was run or changed.</summary>
    public const int Usage = 2;

    /// <summary>
    /// <c>gc</c>: another collection holds the collector lease on this storage; nothing was deleted. <c>evict</c>: the images
    /// were evicted, their bytes are left to that collection.
    /// </summary>
    public const int CollectionRunning = 3;
}
