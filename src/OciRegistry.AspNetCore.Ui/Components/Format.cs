using System.Globalization;

namespace OciRegistry.AspNetCore.Ui.Components;

/// <summary>How sizes, times and digests read on the pages.</summary>
internal static class Format
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB"];

    /// <summary>Bytes in binary units, e.g. <c>12.3 MiB</c>; exact below 1 KiB.</summary>
    public static string Size(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {Units[unit]}");
    }

    /// <summary>A sum of sizes, saying how many parts of it are of unknown size, e.g. <c>12.3 MiB + 2 unknown</c>.</summary>
    public static string Size(long bytes, int unknown) => unknown == 0 ? Size(bytes) : $"{Size(bytes)} + {unknown} unknown";

    /// <summary>A size, or a dash when unknown.</summary>
    public static string Size(long? bytes) => bytes is { } known ? Size(known) : "—";

    /// <summary>A count with its noun, e.g. <c>1 blob</c>, <c>3 blobs</c>.</summary>
    public static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    /// <summary>A UTC time to the minute, e.g. <c>2026-11-30 01:02 UTC</c>.</summary>
    public static string Time(DateTimeOffset? time) =>
        time is { } known ? known.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "—";

    /// <summary>The machine-readable form for <c>&lt;time datetime&gt;</c>.</summary>
    public static string Iso(DateTimeOffset? time) =>
        time is { } known ? known.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : "";

    /// <summary>The first 12 hex digits of a digest, as docker prints image ids.</summary>
    public static string Short(Core.Digests.Digest digest)
    {
        var text = digest.ToString();
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return text.Length > colon + 13 ? text[..(colon + 13)] : text;
    }

    /// <summary>A media type without the common prefixes, e.g. <c>oci image manifest</c>.</summary>
    public static string Kind(string mediaType) => mediaType switch
    {
        "application/vnd.oci.image.index.v1+json" => "OCI index",
        "application/vnd.oci.image.manifest.v1+json" => "OCI image",
        "application/vnd.docker.distribution.manifest.list.v2+json" => "Docker manifest list",
        "application/vnd.docker.distribution.manifest.v2+json" => "Docker image",
        "" => "—",
        _ => mediaType,
    };
}
