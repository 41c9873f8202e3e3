using OciRegistry.Core.Digests;

namespace OciRegistry.Core.References;

/// <summary>The <c>&lt;reference&gt;</c> of a manifest URL: either a tag or a digest.</summary>
public readonly struct ManifestReference
{
    private ManifestReference(string? tag, Digest digest)
    {
        TagName = tag;
        Digest = digest;
    }

    /// <summary>The tag, when the reference is a tag.</summary>
    public string? TagName { get; }

    /// <summary>The digest, when the reference is a digest (<see cref="Digest.IsEmpty"/> otherwise).</summary>
    public Digest Digest { get; }

    /// <summary>True when the reference is a digest.</summary>
    public bool IsDigest => !Digest.IsEmpty;

    /// <summary>A reference by tag.</summary>
    public static ManifestReference ForTag(string tag) =>
        Tag.IsValid(tag) ? new(tag, default) : throw new ArgumentException($"'{tag}' is not a valid tag.", nameof(tag));

    /// <summary>A reference by digest.</summary>
    public static ManifestReference ForDigest(Digest digest) =>
        digest.IsEmpty ? throw new ArgumentException("The digest is empty.", nameof(digest)) : new(null, digest);

    /// <summary>
    /// Reads a reference: text containing a colon must be a digest, anything else must be a tag.
    /// </summary>
    public static DigestParseStatus TryParse(string text, out ManifestReference reference)
    {
        reference = default;
        if (text.Contains(':'))
        {
            var status = Digest.TryParse(text.AsSpan(), out var digest);
            if (status == DigestParseStatus.Valid)
            {
                reference = new(null, digest);
            }

            return status;
        }

        if (!Tag.IsValid(text))
        {
            return DigestParseStatus.Malformed;
        }

        reference = new(text, default);
        return DigestParseStatus.Valid;
    }

    /// <summary>The tag or the digest's text.</summary>
    public override string ToString() => TagName ?? Digest.ToString();
}
