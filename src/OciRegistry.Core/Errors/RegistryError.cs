namespace OciRegistry.Core.Errors;

/// <summary>An expected failure of a registry operation, carrying the spec's error code and a message for the client.</summary>
/// <param name="Code">The spec's error code.</param>
/// <param name="Message">A human-readable sentence saying what was wrong.</param>
/// <param name="Detail">Optional structured detail (serialized as the error's <c>detail</c>).</param>
public sealed record RegistryError(RegistryErrorCode Code, string Message, object? Detail = null)
{
    /// <summary>BLOB_UNKNOWN for <paramref name="digest"/>.</summary>
    public static RegistryError BlobUnknown(object digest) => new(RegistryErrorCode.BlobUnknown, "blob unknown to registry", new { digest = digest.ToString() });

    /// <summary>BLOB_UPLOAD_UNKNOWN.</summary>
    public static RegistryError UploadUnknown() => new(RegistryErrorCode.BlobUploadUnknown, "blob upload unknown to registry");

    /// <summary>NAME_INVALID for <paramref name="name"/>.</summary>
    public static RegistryError NameInvalid(string name) => new(RegistryErrorCode.NameInvalid, "invalid repository name", new { name });

    /// <summary>NAME_UNKNOWN for <paramref name="name"/>.</summary>
    public static RegistryError NameUnknown(string name) => new(RegistryErrorCode.NameUnknown, "repository name not known to registry", new { name });

    /// <summary>MANIFEST_UNKNOWN for <paramref name="reference"/>.</summary>
    public static RegistryError ManifestUnknown(string reference) => new(RegistryErrorCode.ManifestUnknown, "manifest unknown to registry", new { reference });

    /// <summary>MANIFEST_INVALID with the reason.</summary>
    public static RegistryError ManifestInvalid(string reason) => new(RegistryErrorCode.ManifestInvalid, "manifest invalid: " + reason);

    /// <summary>DIGEST_INVALID with the reason.</summary>
    public static RegistryError DigestInvalid(string reason) => new(RegistryErrorCode.DigestInvalid, "provided digest did not match uploaded content: " + reason);

    /// <summary>UNSUPPORTED with the reason.</summary>
    public static RegistryError Unsupported(string reason) => new(RegistryErrorCode.Unsupported, "the operation is unsupported: " + reason);
}
