using System.Buffers;
using System.Security.Cryptography;
using FsCheck;
using FsCheck.Xunit;
using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Tests.Digests;

public sealed class DigestHasherTests
{
    private const string EmptySha256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private const string AbcSha256 = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private const string EmptySha512 =
        "sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";
    private const string AbcSha512 =
        "sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";

    [Theory]
    [InlineData("", DigestAlgorithm.Sha256, EmptySha256)]
    [InlineData("abc", DigestAlgorithm.Sha256, AbcSha256)]
    [InlineData("", DigestAlgorithm.Sha512, EmptySha512)]
    [InlineData("abc", DigestAlgorithm.Sha512, AbcSha512)]
    public void Computes_the_known_test_vectors(string content, DigestAlgorithm algorithm, string expected)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(content);

        Assert.Equal(expected, DigestHasher.Compute(bytes, algorithm).ToString());

        using var hasher = DigestHasher.Rent(algorithm);
        hasher.Append(bytes);
        Assert.Equal(expected, hasher.Finish().ToString());
    }

    [Fact]
    public void Computes_sha256_unless_told_otherwise()
    {
        Assert.Equal(EmptySha256, DigestHasher.Compute([]).ToString());

        using var hasher = DigestHasher.Rent();
        Assert.Equal(DigestAlgorithm.Sha256, hasher.Algorithm);
        Assert.Equal(EmptySha256, hasher.Finish().ToString());
    }

    [Property(MaxTest = 300)]
    public bool Any_partition_into_span_chunks_gives_the_one_shot_digest(byte[] content, int[] cuts, bool sha512)
    {
        var algorithm = sha512 ? DigestAlgorithm.Sha512 : DigestAlgorithm.Sha256;
        using var hasher = DigestHasher.Rent(algorithm);

        foreach (var chunk in Partition(content, cuts))
        {
            hasher.Append(chunk.Span);
        }

        var length = hasher.Length;
        var digest = hasher.Finish();
        return length == content.Length
            && digest == DigestHasher.Compute(content, algorithm)
            && digest == Digest.FromHash(algorithm, OneShotHash(content, algorithm));
    }

    [Property(MaxTest = 300)]
    public bool Any_partition_into_a_multi_segment_sequence_gives_the_one_shot_digest(byte[] content, int[] cuts, bool sha512)
    {
        var algorithm = sha512 ? DigestAlgorithm.Sha512 : DigestAlgorithm.Sha256;
        using var hasher = DigestHasher.Rent(algorithm);

        var sequence = ToSequence(Partition(content, cuts));
        hasher.Append(sequence);

        var length = hasher.Length;
        var digest = hasher.Finish();
        return sequence.Length == content.Length
            && length == content.Length
            && digest == DigestHasher.Compute(content, algorithm)
            && digest == Digest.FromHash(algorithm, OneShotHash(content, algorithm));
    }

    [Property(MaxTest = 200)]
    public bool Mixing_span_and_sequence_appends_gives_the_one_shot_digest(byte[] content, int[] cuts)
    {
        using var hasher = DigestHasher.Rent();
        var chunks = Partition(content, cuts);

        for (var i = 0; i < chunks.Count; i++)
        {
            if (i % 2 == 0)
            {
                hasher.Append(chunks[i].Span);
            }
            else
            {
                hasher.Append(ToSequence(Partition(chunks[i].ToArray(), [1, 2])));
            }
        }

        return hasher.Finish() == Digest.FromHash(DigestAlgorithm.Sha256, SHA256.HashData(content));
    }

    [Fact]
    public void Appends_a_single_segment_sequence()
    {
        using var hasher = DigestHasher.Rent();

        hasher.Append(new ReadOnlySequence<byte>("abc"u8.ToArray()));

        Assert.Equal(3, hasher.Length);
        Assert.Equal(AbcSha256, hasher.Finish().ToString());
    }

    [Fact]
    public void Finish_starts_the_hasher_over_empty()
    {
        using var hasher = DigestHasher.Rent();
        hasher.Append("ab"u8);
        hasher.Append("c"u8);
        Assert.Equal(3, hasher.Length);

        Assert.Equal(AbcSha256, hasher.Finish().ToString());
        Assert.Equal(0, hasher.Length);
        Assert.Equal(EmptySha256, hasher.Finish().ToString());

        hasher.Append("abc"u8);
        Assert.Equal(AbcSha256, hasher.Finish().ToString());
    }

    [Theory]
    [InlineData(DigestAlgorithm.Sha256, EmptySha256)]
    [InlineData(DigestAlgorithm.Sha512, EmptySha512)]
    public void A_hasher_returned_unfinished_to_the_pool_is_rented_again_empty(DigestAlgorithm algorithm, string emptyDigest)
    {
        // Several at once, so the pool holds several dirty hashers whichever of them the next rents take.
        var returned = Enumerable.Range(0, 8).Select(_ => DigestHasher.Rent(algorithm)).ToList();
        foreach (var hasher in returned)
        {
            hasher.Append("abc"u8);
            hasher.Dispose();
        }

        var rented = Enumerable.Range(0, 8).Select(_ => DigestHasher.Rent(algorithm)).ToList();
        try
        {
            Assert.All(rented, hasher =>
            {
                Assert.Equal(algorithm, hasher.Algorithm);
                Assert.Equal(0, hasher.Length);
                Assert.Equal(emptyDigest, hasher.Finish().ToString());
            });
        }
        finally
        {
            rented.ForEach(hasher => hasher.Dispose());
        }
    }

    [Fact]
    public void Disposing_twice_returns_the_hasher_to_the_pool_once()
    {
        var hasher = DigestHasher.Rent(DigestAlgorithm.Sha512);
        hasher.Dispose();
        hasher.Dispose();

        using var first = DigestHasher.Rent(DigestAlgorithm.Sha512);
        using var second = DigestHasher.Rent(DigestAlgorithm.Sha512);

        Assert.NotSame(first, second);
    }

    private static byte[] OneShotHash(byte[] content, DigestAlgorithm algorithm) =>
        algorithm == DigestAlgorithm.Sha512 ? SHA512.HashData(content) : SHA256.HashData(content);

    /// <summary>Splits <paramref name="content"/> at the given cut points (taken modulo its length + 1); empty chunks included.</summary>
    private static List<ReadOnlyMemory<byte>> Partition(byte[] content, int[] cuts)
    {
        var points = cuts.Select(cut => (int)((uint)cut % (uint)(content.Length + 1))).Order().ToList();
        var chunks = new List<ReadOnlyMemory<byte>>();
        var start = 0;
        foreach (var point in points)
        {
            chunks.Add(content.AsMemory(start, point - start));
            start = point;
        }

        chunks.Add(content.AsMemory(start));
        return chunks;
    }

    private static ReadOnlySequence<byte> ToSequence(List<ReadOnlyMemory<byte>> chunks)
    {
        var first = new Segment(chunks[0], 0);
        var last = first;
        foreach (var chunk in chunks.Skip(1))
        {
            last = last.Append(chunk);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
