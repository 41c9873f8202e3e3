using System.Globalization;
using OciRegistry.Core.Digests;

namespace OciRegistry.Storage.S3;

/// <summary>Where things live in the bucket.</summary>
internal static class S3Names
{
    /// <summary>The prefix of every committed blob's key.</summary>
    public const string BlobPrefix = "blobs/";

    /// <summary>The prefix of every upload session's objects (<c>uploads/&lt;id&gt;/…</c>).</summary>
    public const string UploadPrefix = "uploads/";

    public static string Blob(Digest digest) => BlobPrefix + digest.ToString();

    public static bool TryParseBlob(string key, out Digest digest)
    {
        digest = default;
        return key.StartsWith(BlobPrefix, StringComparison.Ordinal)
            && Digest.TryParse(key.AsSpan(BlobPrefix.Length), out digest) == DigestParseStatus.Valid;
    }

    /// <summary>A session id this store made (32 lowercase hex digits); anything else names no session and no key.</summary>
    public static bool IsUploadId(string id) => id.Length == 32 && id.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c));

    /// <summary>Every object of the session: its states and its pieces.</summary>
    public static string Session(string id) => UploadPrefix + id + "/";

    public static string StatePrefix(string id) => Session(id) + "state/";

    /// <summary>
    /// The key of the session's state number <paramref name="sequence"/>: numbered downwards, so a listing's first key
    /// is the newest state (one request, whatever the number of states).
    /// </summary>
    public static string State(string id, long sequence) =>
        StatePrefix(id) + (long.MaxValue - sequence).ToString("D19", CultureInfo.InvariantCulture);

    public static long SequenceOf(string stateKey) =>
        long.MaxValue - long.Parse(stateKey.AsSpan(stateKey.LastIndexOf('/') + 1), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>A new object for a writer's bytes.</summary>
    public static string NewPiece(string id) => Session(id) + "piece/" + Guid.NewGuid().ToString("N");
}
