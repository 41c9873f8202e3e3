using System.Buffers;
using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Storage;

/// <summary>Whole-content reads of an <see cref="IBlobContent"/>: into an array (small content) or through a hasher (any size).</summary>
public static class BlobContentExtensions
{
    private const int HashBufferBytes = 1024 * 1024;

    /// <summary>Reads all of a small piece of content (a manifest) into a new array; null when it ends before its length.</summary>
    public static async ValueTask<byte[]?> ReadAllBytesAsync(this IBlobContent content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var bytes = new byte[content.Length];
        var offset = 0;
        while (offset < bytes.Length)
        {
            var read = await content.ReadAsync(offset, bytes.AsMemory(offset), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            offset += read;
        }

        return bytes;
    }

    /// <summary>
    /// Appends all of the content to <paramref name="hasher"/> through one pooled 1 MiB buffer (no allocation per
    /// read); returns how many bytes were hashed.
    /// </summary>
    public static async ValueTask<long> HashIntoAsync(this IBlobContent content, DigestHasher hasher, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(hasher);
        var buffer = ArrayPool<byte>.Shared.Rent(HashBufferBytes);
        try
        {
            long offset = 0;
            int read;
            while ((read = await content.ReadAsync(offset, buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hasher.Append(buffer.AsSpan(0, read));
                offset += read;
            }

            return offset;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
