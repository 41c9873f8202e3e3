namespace OciRegistry.Core.Errors;

/// <summary>An expected failure of a registry operation, carrying the spec's error code and a message for the client.</summary>
/// <param name="Code">The spec's error code.</param>
/// <param name="Message">A human-readable sentence saying what was wrong.</param>
/// <param name="Detail">Optional structured detail (serialized as the error's <c>detail</c> object).</param>
public sealed record RegistryError(RegistryErrorCode Code, string Message, IReadOnlyDictionary<string, string>? Detail = null)
{
    /// <summary>For an out-of-order chunk: the upload's current length, where the next chunk must start (answered with 416 and a <c>Range</c>).</summary>
    public long? UploadLength { get; init; }

    /// <summary>BLOB_UNKNOWN for <paramref name="digest"/>.</summary>
    public static RegistryError BlobUnknown(object digest) => new(RegistryErrorCode.BlobUnknown, "blob unknown to registry", One("digest", digest));

    /// <summary>BLOB_UPLOAD_UNKNOWN.</summary>
    public static RegistryError UploadUnknown() => new(RegistryErrorCode.BlobUploadUnknown, "blob upload unknown to registry");

    /// <summary>NAME_INVALID for <paramref name="name"/>.</summary>
    public static RegistryError NameInvalid(string name) => new(RegistryErrorCode.NameInvalid, "invalid repository name", One("name", name));

    /// <summary>NAME_UNKNOWN for <paramref name="name"/>.</summary>
    public static RegistryError NameUnknown(string name) => new(RegistryErrorCode.NameUnknown, "repository name not known to registry", One("name", name));

    /// <summary>MANIFEST_UNKNOWN for <paramref name="reference"/>.</summary>
    public static RegistryError ManifestUnknown(string reference) => new(RegistryErrorCode.ManifestUnknown, "manifest unknown to registry", One("reference", reference));

    /// <summary>MANIFEST_INVALID with the reason.</summary>
    public static RegistryError ManifestInvalid(string reason) => new(RegistryErrorCode.ManifestInvalid, "manifest invalid: " + reason);

    /// <summary>MANIFEST_BLOB_UNKNOWN for the missing <paramref name="digest"/>.</summary>
    public static RegistryError ManifestBlobUnknown(object digest) => new(RegistryErrorCode.ManifestBlobUnknown, "manifest references a manifest or blob unknown to registry", One("digest", digest));

    /// <summary>DIGEST_INVALID with the reason.</summary>
    public static RegistryError DigestInvalid(string reason) => new(RegistryErrorCode.DigestInvalid, "provided digest did not match uploaded content: " + reason);

    /// <summary>BLOB_UPLOAD_INVALID for a chunk that does not start where the upload ends (answered with 416 and the current range).</summary>
    public static RegistryError UploadOutOfOrder(long uploadLength) =>
        new(RegistryErrorCode.BlobUploadInvalid, $"chunk does not start at the end of the upload ({uploadLength} bytes received)") { UploadLength = uploadLength };

    /// <summary>BLOB_UPLOAD_INVALID with the reason.</summary>
    public static RegistryError UploadInvalid(string reason) => new(RegistryErrorCode.BlobUploadInvalid, "blob upload invalid: " + reason);

    /// <summary>SIZE_INVALID with the reason.</summary>
    public static RegistryError SizeInvalid(string reason) => new(RegistryErrorCode.SizeInvalid, "provided length did not match content length: " + reason);

    /// <summary>UNSUPPORTED with the reason.</summary>
    public static RegistryError Unsupported(string reason) => new(RegistryErrorCode.Unsupported, "the operation is unsupported: " + reason);

    /// <summary>DENIED with the reason.</summary>
    public static RegistryError Denied(string reason) => new(RegistryErrorCode.Denied, "requested access to the resource is denied: " + reason);

    /// <summary>TOOMANYREQUESTS with the reason.</summary>
    public static RegistryError TooManyRequests(string reason) => new(RegistryErrorCode.TooManyRequests, "too many requests: " + reason);

    /// <summary>UNAUTHORIZED.</summary>
    public static RegistryError Unauthorized() => new(RegistryErrorCode.Unauthorized, "authentication required");

    private static Dictionary<string, string> One(string key, object value) => new(1) { [key] = value.ToString() ?? "" };
}
