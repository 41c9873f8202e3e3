namespace OciRegistry.Core.Digests;

/// <summary>Why a digest string was or was not accepted.</summary>
public enum DigestParseStatus : byte
{
    /// <summary>The digest is well formed and of a supported algorithm.</summary>
    Valid = 0,

    /// <summary>The text does not follow the digest grammar <c>algorithm ":" encoded</c>, or the encoded part is wrong for its algorithm.</summary>
    Malformed = 1,

    /// <summary>The text follows the digest grammar, but names an algorithm this registry does not implement.</summary>
    UnsupportedAlgorithm = 2,
}
