using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace OciRegistry.Core.Digests;

/// <summary>
/// Computes a <see cref="Digest"/> over content that arrives chunk by chunk (an upload, a file read in slices).
/// </summary>
/// <remarks>
/// Instances are pooled: <see cref="Rent"/> one, append, <see cref="Finish"/>, then <see cref="Dispose"/> returns it.
/// Appending allocates nothing (the native hash state is reused); <see cref="Finish"/> allocates only the digest's
/// string (~80 bytes for sha256). Measured in <c>benchmarks/</c>: 0 B per appended chunk, throughput equal to
/// <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/>. Not thread-safe: one writer at a time.
/// </remarks>
public sealed class DigestHasher : IDisposable
{
    private const int MaxPooledPerAlgorithm = 64;
    private static readonly ConcurrentBag<DigestHasher> Sha256Pool = [];
    private static readonly ConcurrentBag<DigestHasher> Sha512Pool = [];

    private readonly IncrementalHash _hash;
    private bool _rented;

    private DigestHasher(DigestAlgorithm algorithm)
    {
        Algorithm = algorithm;
        _hash = IncrementalHash.CreateHash(algorithm == DigestAlgorithm.Sha512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);
    }

    /// <summary>The algorithm this hasher computes.</summary>
    public DigestAlgorithm Algorithm { get; }

    /// <summary>How many bytes have been appended since the hasher was rented or last finished.</summary>
    public long Length { get; private set; }

    /// <summary>Takes a hasher from the pool, or makes one.</summary>
    public static DigestHasher Rent(DigestAlgorithm algorithm = DigestAlgorithm.Sha256)
    {
        var hasher = PoolFor(algorithm).TryTake(out var pooled) ? pooled : new DigestHasher(algorithm);
        hasher._rented = true;
        return hasher;
    }

    /// <summary>Hashes <paramref name="content"/> in one call.</summary>
    public static Digest Compute(ReadOnlySpan<byte> content, DigestAlgorithm algorithm = DigestAlgorithm.Sha256)
    {
        Span<byte> hash = stackalloc byte[64];
        var written = algorithm == DigestAlgorithm.Sha512
            ? SHA512.HashData(content, hash)
            : SHA256.HashData(content, hash);
        return Digest.FromHash(algorithm, hash[..written]);
    }

    /// <summary>Appends a chunk.</summary>
    public void Append(ReadOnlySpan<byte> chunk)
    {
        _hash.AppendData(chunk);
        Length += chunk.Length;
    }

    /// <summary>Appends every segment of a sequence, as read from a <c>PipeReader</c>.</summary>
    public void Append(in ReadOnlySequence<byte> chunk)
    {
        if (chunk.IsSingleSegment)
        {
            Append(chunk.FirstSpan);
            return;
        }

        foreach (var segment in chunk)
        {
            Append(segment.Span);
        }
    }

    /// <summary>Returns the digest of everything appended, and starts over empty.</summary>
    public Digest Finish()
    {
        Span<byte> hash = stackalloc byte[64];
        var written = _hash.GetHashAndReset(hash);
        Length = 0;
        return Digest.FromHash(Algorithm, hash[..written]);
    }

    /// <summary>Resets the hasher and returns it to the pool.</summary>
    public void Dispose()
    {
        if (!_rented)
        {
            return;
        }

        _rented = false;
        if (Length > 0)
        {
            Span<byte> discard = stackalloc byte[64];
            _hash.GetHashAndReset(discard);
            Length = 0;
        }

        var pool = PoolFor(Algorithm);
        if (pool.Count < MaxPooledPerAlgorithm)
        {
            pool.Add(this);
        }
        else
        {
            _hash.Dispose();
        }
    }

    private static ConcurrentBag<DigestHasher> PoolFor(DigestAlgorithm algorithm) =>
        algorithm == DigestAlgorithm.Sha512 ? Sha512Pool : Sha256Pool;
}
