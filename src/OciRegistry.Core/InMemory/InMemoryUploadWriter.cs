using System.Buffers;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.InMemory;

/// <summary>Appends to an <see cref="InMemoryUploadSession"/>: each write becomes one new array copied from the sequence.</summary>
internal sealed class InMemoryUploadWriter(InMemoryUploadSession session) : IUploadWriter
{
    private bool _disposed;

    /// <inheritdoc />
    public long Length
    {
        get
        {
            lock (session)
            {
                return session.Length;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(ReadOnlySequence<byte> data, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (data.IsEmpty)
        {
            return ValueTask.CompletedTask;
        }

        var chunk = data.ToArray();
        lock (session)
        {
            if (session.Ended)
            {
                throw new InvalidOperationException($"Upload session '{session.Id}' has ended.");
            }

            session.Chunks.Add(chunk);
            session.Length += chunk.Length;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            lock (session)
            {
                session.HasWriter = false;
            }
        }

        return ValueTask.CompletedTask;
    }
}
