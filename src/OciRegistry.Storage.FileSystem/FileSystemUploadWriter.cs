using System.Buffers;
using Microsoft.Win32.SafeHandles;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.FileSystem;

/// <summary>
/// Appends to an upload's data file: each sequence is one gathered <see cref="RandomAccess"/> write (one <c>pwritev</c>),
/// however many pipe segments it has. Holds the session's exclusive lock file until disposed.
/// </summary>
/// <remarks>
/// One write per 4 KiB segment halved upload throughput in prototypes (0.24 GB/s); one gathered write per read reached
/// 0.45 GB/s. The segment list is reused, so a write allocates nothing here.
/// </remarks>
internal sealed class FileSystemUploadWriter(SafeFileHandle dataFile, SafeFileHandle exclusiveLock, long length, Action release) : IUploadWriter
{
    private readonly List<ReadOnlyMemory<byte>> _segments = [];
    private bool _disposed;

    /// <inheritdoc />
    public long Length { get; private set; } = length;

    /// <inheritdoc />
    public async ValueTask WriteAsync(ReadOnlySequence<byte> data, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (data.IsSingleSegment)
        {
            await RandomAccess.WriteAsync(dataFile, data.First, Length, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            foreach (var segment in data)
            {
                _segments.Add(segment);
            }

            try
            {
                await RandomAccess.WriteAsync(dataFile, _segments, Length, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _segments.Clear();
            }
        }

        Length += data.Length;
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
