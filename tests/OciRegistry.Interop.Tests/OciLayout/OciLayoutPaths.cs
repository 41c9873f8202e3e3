namespace OciRegistry.Interop.Tests.OciLayout;

/// <summary>Where an OCI image layout keeps things.</summary>
internal static class OciLayoutPaths
{
    /// <summary>The file of the blob <paramref name="digest"/> (<c>sha256:…</c>) under <paramref name="folder"/>.</summary>
    public static string Blob(string folder, string digest)
    {
        var separator = digest.IndexOf(':', StringComparison.Ordinal);
        return Path.Combine(folder, "blobs", digest[..separator], digest[(separator + 1)..]);
    }
}
