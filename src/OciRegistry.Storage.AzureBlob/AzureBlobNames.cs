using OciRegistry.Core.Digests;

namespace OciRegistry.Storage.AzureBlob;

/// <summary>Where things live in the container.</summary>
internal static class AzureBlobNames
{
    /// <summary>The prefix of every committed blob's name.</summary>
    public const string BlobPrefix = "blobs/";

    public static string Blob(Digest digest) => BlobPrefix + digest.ToString();

    public static bool TryParseBlob(string name, out Digest digest)
    {
        digest = default;
        return name.StartsWith(BlobPrefix, StringComparison.Ordinal)
            && Digest.TryParse(name.AsSpan(BlobPrefix.Length), out digest) == DigestParseStatus.Valid;
    }
}
