namespace OciRegistry.Core.Storage;

/// <summary>Why <see cref="IUploadStore.OpenWriterAsync"/> did or did not give a writer.</summary>
public enum UploadWriteStatus
{
    /// <summary>A writer was opened at the requested offset.</summary>
    Opened,

    /// <summary>There is no such session.</summary>
    Unknown,

    /// <summary>The session's length is not the requested offset (an out-of-order or repeated chunk).</summary>
    OffsetMismatch,

    /// <summary>Another writer is appending to this session right now.</summary>
    Busy,
}
