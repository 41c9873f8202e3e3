using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;

namespace OciRegistry.Interop.Tests.MultiInstance;

/// <summary>
/// A blob of any length whose bytes are made as they are sent, so a test pushes a GiB without holding it: one random
/// MiB repeated, each copy with its own index written over its first bytes, so no two MiB are alike and a MiB
/// out of place changes the digest.
/// </summary>
internal sealed class GeneratedBlob
{
    private const int MiB = 1024 * 1024;
    private readonly byte[] _pattern = RandomNumberGenerator.GetBytes(MiB);

    public GeneratedBlob(long length)
    {
        Length = length;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[MiB];
        for (long offset = 0; offset < length; offset += MiB)
        {
            var count = Fill(buffer, offset, length);
            hash.AppendData(buffer, 0, count);
        }

        Digest = "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public long Length { get; }

    public string Digest { get; }

    /// <summary>The bytes from <paramref name="offset"/> on, <paramref name="length"/> of them, as a request body.</summary>
    public HttpContent Content(long offset, long length) => new Slice(this, offset, length);

    // Fills buffer with the MiB that starts at offset (a multiple of a MiB); returns how many bytes of it the blob has.
    private int Fill(byte[] buffer, long offset, long end)
    {
        _pattern.CopyTo(buffer, 0);
        BinaryPrimitives.WriteInt64LittleEndian(buffer, offset / MiB);
        return (int)Math.Min(MiB, end - offset);
    }

    private sealed class Slice(GeneratedBlob blob, long start, long count) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var buffer = new byte[MiB];
            var end = start + count;
            for (var block = start - (start % MiB); block < end; block += MiB)
            {
                var made = blob.Fill(buffer, block, blob.Length);
                var from = (int)Math.Max(0, start - block);
                var to = (int)Math.Min(made, end - block);
                await stream.WriteAsync(buffer.AsMemory(from, to - from));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = count;
            return true;
        }
    }
}
