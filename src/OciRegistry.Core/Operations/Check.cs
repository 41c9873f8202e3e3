using OciRegistry.Core.Digests;
using OciRegistry.Core.Errors;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Operations;

/// <summary>Input checks shared by the operations: each returns the spec's error, or null when the input is valid.</summary>
internal static class Check
{
    public static RegistryError? Name(string repository, out RepositoryName name) =>
        RepositoryName.TryParse(repository, out name) ? null : RegistryError.NameInvalid(repository);

    // A digest that does not parse is DIGEST_INVALID too, but nothing was uploaded, so its message must not say that
    // "the provided digest did not match uploaded content" (RegistryError.DigestInvalid's wording for a mismatch).
    public static RegistryError? Digest(string text, out Digest digest) =>
        Digests.Digest.TryParse(text.AsSpan(), out digest) switch
        {
            DigestParseStatus.Valid => null,
            DigestParseStatus.UnsupportedAlgorithm => new RegistryError(RegistryErrorCode.DigestInvalid, $"invalid digest: unsupported algorithm in '{text}'"),
            _ => new RegistryError(RegistryErrorCode.DigestInvalid, $"invalid digest: '{text}' is not a valid digest"),
        };

    public static RegistryError? NameAndDigest(string repository, string digestText, out RepositoryName name, out Digest digest)
    {
        var digestError = Digest(digestText, out digest);
        return Name(repository, out name) ?? digestError;
    }
}
