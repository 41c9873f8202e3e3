using OciRegistry.Core.References;
using System.Buffers;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.Tests;

/// <summary>Content, digests, reads and PATCHes shared by the store tests.</summary>
internal static class TestContent
{
    public static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static Digest DigestOf(ReadOnlySpan<byte> content) => DigestHasher.Compute(content);

    public static Digest DigestOf(string text) => DigestOf(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>A sequence of several segments, as a pipe hands them out.</summary>
    public static ReadOnlySequence<byte> Segmented(ReadOnlyMemory<byte> content, int segmentLength)
    {
        if (content.Length <= segmentLength)
        {
            return new ReadOnlySequence<byte>(content);
        }

        var first = new Segment(content[..segmentLength], 0);
        var last = first;
        for (var start = segmentLength; start < content.Length; start += segmentLength)
        {
            last = last.Append(content[start..Math.Min(start + segmentLength, content.Length)]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Reads <paramref name="length"/> bytes from <paramref name="offset"/>, looping over short reads; stops at the end.</summary>
    public static async Task<byte[]> ReadAsync(IBlobContent content, long offset, int length)
    {
        var buffer = new byte[length];
        var filled = 0;
        while (filled < length)
        {
            var read = await content.ReadAsync(offset + filled, buffer.AsMemory(filled));
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return buffer[..filled];
    }

    public static Task<byte[]> ReadAllAsync(IBlobContent content) => ReadAsync(content, 0, checked((int)content.Length));

    /// <summary>Starts a session in <paramref name="repository"/> and writes <paramref name="content"/> to it in pieces of at most <paramref name="pieceBytes"/>; returns the session id.</summary>
    public static async Task<string> UploadAsync(IUploadStore uploads, string repository, byte[] content, int pieceBytes = int.MaxValue)
    {
        var session = await uploads.CreateAsync(RepositoryName.Parse(repository));
        var (_, writer) = await uploads.OpenWriterAsync(session.Id, 0);
        await using (writer)
        {
            for (var offset = 0; offset < content.Length; offset += pieceBytes)
            {
                await writer!.WriteAsync(new(content.AsMemory(offset, Math.Min(pieceBytes, content.Length - offset))));
            }
        }

        return session.Id;
    }

    /// <summary>One PATCH's worth: opens a writer of session <paramref name="id"/> at <paramref name="offset"/> (it must open), writes <paramref name="content"/> in pieces of 256 KiB and closes it.</summary>
    public static async Task PatchAsync(IUploadStore uploads, string id, long offset, ReadOnlyMemory<byte> content)
    {
        var (status, writer) = await uploads.OpenWriterAsync(id, offset);
        Assert.Equal(UploadWriteStatus.Opened, status);
        await using (writer)
        {
            await writer!.WriteAsync(Segmented(content, segmentLength: 256 * 1024));
        }
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
