namespace OciRegistry.Core.Errors;

/// <summary>The error codes of the OCI Distribution Spec v1.1 (spec.md, "Error Codes"), code-1 … code-14.</summary>
public enum RegistryErrorCode
{
    /// <summary>BLOB_UNKNOWN: blob unknown to registry (404).</summary>
    BlobUnknown,

    /// <summary>BLOB_UPLOAD_INVALID: blob upload invalid (400, or 416 for an out-of-order chunk).</summary>
    BlobUploadInvalid,

    /// <summary>BLOB_UPLOAD_UNKNOWN: blob upload unknown to registry (404).</summary>
    BlobUploadUnknown,

    /// <summary>DIGEST_INVALID: provided digest did not match uploaded content (400).</summary>
    DigestInvalid,

    /// <summary>MANIFEST_BLOB_UNKNOWN: manifest references a manifest or blob unknown to registry (400).</summary>
    ManifestBlobUnknown,

    /// <summary>MANIFEST_INVALID: manifest invalid (400).</summary>
    ManifestInvalid,

    /// <summary>MANIFEST_UNKNOWN: manifest unknown to registry (404).</summary>
    ManifestUnknown,

    /// <summary>NAME_INVALID: invalid repository name (400).</summary>
    NameInvalid,

    /// <summary>NAME_UNKNOWN: repository name not known to registry (404).</summary>
    NameUnknown,

    /// <summary>SIZE_INVALID: provided length did not match content length (400).</summary>
    SizeInvalid,

    /// <summary>UNAUTHORIZED: authentication required (401).</summary>
    Unauthorized,

    /// <summary>DENIED: requested access to the resource is denied (403).</summary>
    Denied,

    /// <summary>UNSUPPORTED: the operation is unsupported (405, or 415 for a media type the registry refuses).</summary>
    Unsupported,

    /// <summary>TOOMANYREQUESTS: too many requests (429).</summary>
    TooManyRequests,
}

/// <summary>The wire form of each <see cref="RegistryErrorCode"/>.</summary>
public static class RegistryErrorCodes
{
    /// <summary>The code as written in an error body, e.g. <c>BLOB_UNKNOWN</c>.</summary>
    public static string ToWireCode(this RegistryErrorCode code) => code switch
    {
        RegistryErrorCode.BlobUnknown => "BLOB_UNKNOWN",
        RegistryErrorCode.BlobUploadInvalid => "BLOB_UPLOAD_INVALID",
        RegistryErrorCode.BlobUploadUnknown => "BLOB_UPLOAD_UNKNOWN",
        RegistryErrorCode.DigestInvalid => "DIGEST_INVALID",
        RegistryErrorCode.ManifestBlobUnknown => "MANIFEST_BLOB_UNKNOWN",
        RegistryErrorCode.ManifestInvalid => "MANIFEST_INVALID",
        RegistryErrorCode.ManifestUnknown => "MANIFEST_UNKNOWN",
        RegistryErrorCode.NameInvalid => "NAME_INVALID",
        RegistryErrorCode.NameUnknown => "NAME_UNKNOWN",
        RegistryErrorCode.SizeInvalid => "SIZE_INVALID",
        RegistryErrorCode.Unauthorized => "UNAUTHORIZED",
        RegistryErrorCode.Denied => "DENIED",
        RegistryErrorCode.Unsupported => "UNSUPPORTED",
        RegistryErrorCode.TooManyRequests => "TOOMANYREQUESTS",
        _ => throw new ArgumentOutOfRangeException(nameof(code)),
    };
}
