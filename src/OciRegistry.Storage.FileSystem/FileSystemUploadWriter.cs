using System.Buffers;
using Microsoft.Win32.SafeHandles;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.FileSystem;

/// <summary>
/// Appends to an upload's data file: each sequence is one gathered, synchronous <see cref="RandomAccess"/> write (one
/// <c>pwritev</c> into the page cache), however many pipe segments it has. Holds the session's exclusive lock file
/// until disposed, which flushes the file to disk.
/// </summary>
/// <remarks>
/// One write per 4 KiB segment halved upload throughput in prototypes (0.24 GB/s); one gathered write per read reached
/// 0.45 GB/s. Writing synchronously rather than through <c>RandomAccess.WriteAsync</c> (a thread-pool hop per write)
/// cut the server's CPU per pushed GB by ~7% (2.46 → 2.29 s/GB, medians of 3, 512 MiB pushes on the 2-core machine):
/// a page-cache write is a memory copy, cheaper than the hop. The segment list is reused, so a write allocates nothing.
/// </remarks>
internal sealed class FileSystemUploadWriter(SafeFileHandle dataFile, SafeFileHandle exclusiveLock, long length, Action release) : IUploadWriter
{
    private readonly List<ReadOnlyMemory<byte>> _segments = [];
    private bool _disposed;

    /// <inheritdoc />
    public long Length { get; private set; } = length;

    /// <inheritdoc />
    public ValueTask WriteAsync(ReadOnlySequence<byte> data, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        if (data.IsSingleSegment)
        {
            RandomAccess.Write(dataFile, data.FirstSpan, Length);
        }
        else
        {
            foreach (var segment in data)
            {
                _segments.Add(segment);
            }

            try
            {
                RandomAccess.Write(dataFile, _segments, Length);
            }
            finally
            {
                _segments.Clear();
            }
        }

        Length += data.Length;
        return ValueTask.CompletedTask;
    }

    /// <summary>Flushes the data to disk, then closes the file and releases the session.</summary>
    public ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return ValueTask.CompletedTask;
        }

        _disposed = true;
        try
        {
            RandomAccess.FlushToDisk(dataFile);
        }
        finally
        {
            dataFile.Dispose();
            exclusiveLock.Dispose();
            release();
        }

        return ValueTask.CompletedTask;
    }
}
