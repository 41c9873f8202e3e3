using OciRegistry.Core.Digests;

namespace OciRegistry.Storage.AzureBlob;

/// <summary>Where things live in the container.</summary>
internal static class AzureBlobNames
{
    /// <summary>The prefix of every committed blob's name.</summary>
    public const string BlobPrefix = "blobs/";

    /// <summary>The prefix of every upload session's staging blob.</summary>
    public const string UploadPrefix = "uploads/";

    public static string Blob(Digest digest) => BlobPrefix + digest.ToString();

    public static bool TryParseBlob(string name, out Digest digest)
    {
        digest = default;
        return name.StartsWith(BlobPrefix, StringComparison.Ordinal)
            && Digest.TryParse(name.AsSpan(BlobPrefix.Length), out digest) == DigestParseStatus.Valid;
    }

    public static string Upload(string id) => UploadPrefix + id;

    /// <summary>A session id this store made (32 lowercase hex digits); anything else names no session and no blob.</summary>
    public static bool IsUploadId(string id) => id.Length == 32 && id.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c));
}
