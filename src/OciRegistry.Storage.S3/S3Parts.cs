namespace OciRegistry.Storage.S3;

/// <summary>The sizes S3's multipart rules and this store's memory budget impose.</summary>
internal static class S3Parts
{
    /// <summary>S3's smallest part but the last of a multipart upload.</summary>
    public const int MinPartBytes = 5 * 1024 * 1024;

    /// <summary>The parts a writer buffers and sends (two at a time: one filling, one being sent).</summary>
    public const int WriterPartBytes = 16 * 1024 * 1024;

    /// <summary>
    /// After this many parts a writer completes its piece and starts another, so no piece nears S3's 10,000 parts and
    /// a writer's memory stays at two parts however large the upload: 4,096 parts of 16 MiB are pieces of 64 GiB, and a
    /// 5 TiB upload is 80 of them.
    /// </summary>
    public const int PartsPerPiece = 4096;

    /// <summary>S3's largest part of a copy (<c>UploadPartCopy</c>) and largest <c>CopyObject</c>.</summary>
    public const long MaxCopyBytes = 5L * 1024 * 1024 * 1024;

    /// <summary>S3's most parts in one multipart upload.</summary>
    public const int MaxParts = 10_000;
}
