namespace OciRegistry.Core.Storage;

/// <summary>How <see cref="IUploadStore.CommitAsync"/> ended.</summary>
public enum UploadCommitStatus
{
    /// <summary>The blob is stored (or was already) and the session has ended.</summary>
    Committed,

    /// <summary>There is no such session (never was, cancelled, expired or committed already).</summary>
    Unknown,

    /// <summary>A writer is appending to the session right now; nothing changed.</summary>
    Busy,

    /// <summary>The session does not hold exactly the bytes whose digest was verified; nothing changed.</summary>
    LengthMismatch,
}
