using Microsoft.Win32.SafeHandles;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.FileSystem;

/// <summary>
/// A file opened for ranged reads with <see cref="RandomAccess"/>: positionless, so concurrent reads need no lock.
/// </summary>
/// <remarks>
/// Measured on the 2-core test machine, 1 MiB reads at random offsets of a 256 MiB page-cached file: synchronous
/// <see cref="RandomAccess.Read(SafeFileHandle, Span{byte}, long)"/> 51–57 µs, <c>ReadAsync</c> 51–65 µs — the same
/// within noise. Reads are asynchronous so a cold-cache read does not block a request thread.
/// The length is fixed when opened; reads never go past it, even if the file grows (an upload being written).
/// </remarks>
internal sealed class FileBlobContent : IBlobContent
{
    private readonly SafeFileHandle _handle;

    private FileBlobContent(SafeFileHandle handle)
    {
        _handle = handle;
        Length = RandomAccess.GetLength(handle);
    }

    /// <inheritdoc />
    public long Length { get; }

    /// <summary>Opens <paramref name="path"/>, or returns null when it does not exist.</summary>
    public static FileBlobContent? TryOpen(string path)
    {
        try
        {
            return new FileBlobContent(File.OpenHandle(
                path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous));
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset >= Length)
        {
            return ValueTask.FromResult(0);
        }

        var remaining = Length - offset;
        var slice = remaining < buffer.Length ? buffer[..(int)remaining] : buffer;
        return RandomAccess.ReadAsync(_handle, slice, offset, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _handle.Dispose();
        return ValueTask.CompletedTask;
    }
}
