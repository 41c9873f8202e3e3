namespace OciRegistry.Storage.S3;

/// <summary>The sizes S3's multipart rules and this store's memory budget impose.</summary>
internal static class S3Parts
{
    /// <summary>S3's smallest part but the last of a multipart upload.</summary>
    public const int MinPartBytes = 5 * 1024 * 1024;

    /// <summary>The parts a whole-blob writer buffers and sends (<see cref="S3BlobWriter"/>): 10,000 of them hold 156 GiB.</summary>
    public const int BlobPartBytes = 16 * 1024 * 1024;

    /// <summary>
    /// The parts a PATCH's writer buffers and sends (<see cref="S3UploadWriter"/>): half of a 16 MiB PATCH, so its first
    /// half is on its way to the store while the second arrives, where a part of the whole PATCH was sent only after
    /// all of it had come.
    /// </summary>
    public const int UploadPartBytes = 8 * 1024 * 1024;

    /// <summary>
    /// After this many parts a PATCH's writer completes its piece and starts another, so no piece nears S3's 10,000
    /// parts and a writer's memory stays at three parts however large the upload: 4,096 parts of 8 MiB are pieces of
    /// 32 GiB, and a 5 TiB upload is 160 of them.
    /// </summary>
    public const int PartsPerPiece = 4096;

    /// <summary>S3's largest part of a copy (<c>UploadPartCopy</c>) and largest <c>CopyObject</c>.</summary>
    public const long MaxCopyBytes = 5L * 1024 * 1024 * 1024;

    /// <summary>S3's most parts in one multipart upload.</summary>
    public const int MaxParts = 10_000;
}
