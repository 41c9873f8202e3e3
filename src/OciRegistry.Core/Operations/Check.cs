using OciRegistry.Core.Digests;
using OciRegistry.Core.Errors;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Operations;

/// <summary>Input checks shared by the operations: each returns the spec's error, or null when the input is valid.</summary>
internal static class Check
{
    public static RegistryError? Name(string repository) =>
        RepositoryName.IsValid(repository) ? null : RegistryError.NameInvalid(repository);

    public static RegistryError? Digest(string text, out Digest digest) =>
        Digests.Digest.TryParse(text.AsSpan(), out digest) switch
        {
            DigestParseStatus.Valid => null,
            DigestParseStatus.UnsupportedAlgorithm => RegistryError.DigestInvalid($"unsupported digest algorithm in '{text}'"),
            _ => RegistryError.DigestInvalid($"'{text}' is not a valid digest"),
        };

    public static RegistryError? NameAndDigest(string repository, string digestText, out Digest digest)
    {
        var digestError = Digest(digestText, out digest);
        return Name(repository) ?? digestError;
    }
}
