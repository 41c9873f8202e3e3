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
    public static ValueTask<long> HashIntoAsync(this IBlobContent content, DigestHasher hasher, CancellationToken cancellationToken = default) =>
        content.HashIntoAsync(hasher, 0, long.MaxValue, cancellationToken);

    /// <summary>Appends the content's bytes from <paramref name="offset"/> up to <paramref name="end"/> (or its end, if sooner) to <paramref name="hasher"/>.</summary>
    internal static async ValueTask<long> HashIntoAsync(this IBlobContent content, DigestHasher hasher, long offset, long end, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(hasher);
        var buffer = ArrayPool<byte>.Shared.Rent(HashBufferBytes);
        try
        {
            var start = offset;
            int read;
            while (offset < end
                && (read = await content.ReadAsync(offset, buffer.AsMemory(0, (int)Math.Min(buffer.Length, end - offset)), cancellationToken).ConfigureAwait(false)) > 0)
            {
                hasher.Append(buffer.AsSpan(0, read));
                offset += read;
            }

            return offset - start;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
