using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OciRegistry.AspNetCore.Http;
using OciRegistry.Core.Digests;
using OciRegistry.Core.References;

namespace OciRegistry.AspNetCore.Tests.Hardening;

/// <summary>Random and mutated input only ever produces typed outcomes from the parsers that see raw request text.</summary>
public sealed class ParserProperties
{
    private const string ValidDigest = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    [Property(MaxTest = 2000)]
    public bool ByteRangeParse_NeverThrows_AndStaysInsideTheBlob(string? header, long blobLength)
    {
        var length = Math.Abs(blobLength % (1L << 40));
        var range = ByteRange.Parse(header, length, out var satisfiable);
        return range is null
            ? !satisfiable || string.IsNullOrEmpty(header) || !header.TrimStart().StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)
            : satisfiable && range.Value.Start >= 0 && range.Value.Length > 0 && range.Value.End < length;
    }

    [Property(MaxTest = 2000)]
    public bool ByteRangeParse_OfRangeLikeText_NeverThrows(int first, int last, bool suffix, bool extra, long blobLength)
    {
        var header = suffix ? $"bytes=-{last}" : $"bytes={first}-{last}";
        if (extra)
        {
            header += $",{last}-{first}";
        }

        var range = ByteRange.Parse(header, Math.Abs(blobLength % 100_000), out _);
        return range is null || (range.Value.Start >= 0 && range.Value.Length > 0);
    }

    [Property(MaxTest = 2000)]
    public bool DigestTryParse_OfRandomText_NeverThrows(string? text)
    {
        var status = Digest.TryParse((text ?? "").AsSpan(), out var digest);
        return status != DigestParseStatus.Valid || !digest.IsEmpty;
    }

    [Property(MaxTest = 2000)]
    public bool DigestTryParse_OfRandomBytes_NeverThrows(byte[] utf8)
    {
        Digest.TryParse(utf8 ?? [], out _);
        return true;
    }

    [Property(MaxTest = 2000)]
    public Property MutatedDigest_IsEitherValidOrTypedError()
    {
        var mutations = Gen.Choose(0, ValidDigest.Length - 1).SelectMany(at => Gen.Elements('g', 'A', ':', '/', '.', '\0', 'é', '0', '%', '\\').Select(c => (at, c)));
        return Prop.ForAll(mutations.ToArbitrary(), mutation =>
        {
            var text = ValidDigest[..mutation.at] + mutation.c + ValidDigest[(mutation.at + 1)..];
            var status = Digest.TryParse(text.AsSpan(), out var digest);
            return status == DigestParseStatus.Valid ? digest.ToString() == text : digest.IsEmpty;
        });
    }

    [Property(MaxTest = 2000)]
    public bool ManifestReferenceTryParse_NeverThrows(NonNull<string> text)
    {
        var status = ManifestReference.TryParse(text.Get, out var reference);
        return status != DigestParseStatus.Valid || reference.IsDigest || reference.TagName is not null;
    }

    [Property(MaxTest = 2000)]
    public bool ManifestReferenceTryParse_OfMutatedReferences_NeverThrows(int at, char replacement, bool digest)
    {
        var original = digest ? ValidDigest : "v1.2.3-alpine_x";
        var index = Math.Abs(at % original.Length);
        ManifestReference.TryParse(original[..index] + replacement + original[(index + 1)..], out _);
        return true;
    }
}
