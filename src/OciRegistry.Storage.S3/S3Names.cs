using OciRegistry.Core.Digests;

namespace OciRegistry.Storage.S3;

/// <summary>Where things live in the bucket.</summary>
internal static class S3Names
{
    /// <summary>The prefix of every committed blob's key.</summary>
    public const string BlobPrefix = "blobs/";

    /// <summary>The prefix of the empty objects that mark a blob being collected.</summary>
    public const string RemovingPrefix = "removing/";

    public static string Blob(Digest digest) => BlobPrefix + digest.ToString();

    public static string Removing(Digest digest) => RemovingPrefix + digest.ToString();

    public static bool TryParse(string key, string prefix, out Digest digest)
    {
        digest = default;
        return key.StartsWith(prefix, StringComparison.Ordinal)
            && Digest.TryParse(key.AsSpan(prefix.Length), out digest) == DigestParseStatus.Valid;
    }
}
