using OciRegistry.Core.Digests;

namespace OciRegistry.Storage.S3;

/// <summary>Where things live in the bucket.</summary>
internal static class S3Names
{
    /// <summary>The prefix of every committed blob's key.</summary>
    public const string BlobPrefix = "blobs/";

    public static string Blob(Digest digest) => BlobPrefix + digest.ToString();

    public static bool TryParseBlob(string key, out Digest digest)
    {
        digest = default;
        return key.StartsWith(BlobPrefix, StringComparison.Ordinal)
            && Digest.TryParse(key.AsSpan(BlobPrefix.Length), out digest) == DigestParseStatus.Valid;
    }
}
