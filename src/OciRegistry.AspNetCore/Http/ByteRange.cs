namespace OciRegistry.AspNetCore.Http;

/// <summary>A single byte range of a blob GET (<c>Range: bytes=a-b</c>, <c>bytes=a-</c>, <c>bytes=-n</c>), resolved against the blob's length.</summary>
internal readonly record struct ByteRange(long Start, long Length)
{
    public long End => Start + Length - 1;

    /// <summary>
    /// Resolves a Range header. Returns null when the header is absent or of another unit than bytes (serve
    /// everything); false in <paramref name="satisfiable"/> when a bytes range is malformed, has several ranges, or
    /// asks for bytes past the end (416).
    /// </summary>
    public static ByteRange? Parse(string? header, long blobLength, out bool satisfiable)
    {
        satisfiable = true;
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        var spec = header.AsSpan().Trim();
        if (!spec.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            // RFC 9110 §14.2: a range unit the server does not understand (items=0-5) is ignored, the whole blob served.
            return null;
        }

        satisfiable = false;
        spec = spec["bytes=".Length..].Trim();
        var dash = spec.IndexOf('-');
        if (dash < 0 || spec.Contains(','))
        {
            return null;
        }

        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.IsEmpty)
        {
            // bytes=-n: the last n bytes.
            if (!TryParseNonNegative(last, out var suffix) || suffix == 0 || blobLength == 0)
            {
                return null;
            }

            satisfiable = true;
            var length = Math.Min(suffix, blobLength);
            return new ByteRange(blobLength - length, length);
        }

        if (!TryParseNonNegative(first, out var start) || start >= blobLength)
        {
            return null;
        }

        var end = blobLength - 1;
        if (!last.IsEmpty)
        {
            if (!TryParseNonNegative(last, out var requestedEnd) || requestedEnd < start)
            {
                return null;
            }

            end = Math.Min(requestedEnd, end);
        }

        satisfiable = true;
        return new ByteRange(start, end - start + 1);
    }

    private static bool TryParseNonNegative(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        return !text.IsEmpty && !text.ContainsAnyExceptInRange('0', '9') && long.TryParse(text, out value);
    }
}
