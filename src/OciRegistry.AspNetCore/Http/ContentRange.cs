namespace OciRegistry.AspNetCore.Http;

/// <summary>
/// The <c>Content-Range</c> of a chunk PATCH: <c>start-end</c> (inclusive) as the spec writes it; the RFC form
/// <c>bytes start-end/total</c> is accepted too.
/// </summary>
internal static class ContentRange
{
    /// <summary>Parses the header; false when it is malformed (answered with 416).</summary>
    public static bool TryParse(string header, out long start, out long end)
    {
        start = end = 0;
        var text = header.AsSpan().Trim();
        if (text.StartsWith("bytes", StringComparison.OrdinalIgnoreCase))
        {
            text = text[5..].TrimStart(" =");
        }

        var slash = text.IndexOf('/');
        if (slash >= 0)
        {
            text = text[..slash];
        }

        var dash = text.IndexOf('-');
        return dash > 0
            && long.TryParse(text[..dash], System.Globalization.NumberStyles.None, null, out start)
            && long.TryParse(text[(dash + 1)..], System.Globalization.NumberStyles.None, null, out end)
            && end >= start;
    }
}
