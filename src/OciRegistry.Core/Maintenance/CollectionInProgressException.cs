namespace OciRegistry.Core.Maintenance;

/// <summary>
/// Another collection holds the collector lease (in this process or another instance sharing the metadata store), or
/// took it over from this one after this one's lease ran out: this collection did not run, or stopped.
/// </summary>
public sealed class CollectionInProgressException : InvalidOperationException
{
    /// <summary>Creates the exception with the default message.</summary>
    public CollectionInProgressException()
        : base("Another garbage collection is running on this registry's storage.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public CollectionInProgressException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public CollectionInProgressException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
