using System.Formats.Tar;
using System.Text;

namespace OciRegistry.Interop.Tests.Infrastructure;

/// <summary>Small uncompressed tar layers for base images.</summary>
internal static class Layers
{
    public static byte[] Tar(string path, string content)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
        }

        return tar.ToArray();
    }
}
