using System.Buffers;

namespace OciRegistry.Core.Storage;

/// <summary>
/// Appends bytes to an upload session. Disposing it makes what was written visible in <see cref="UploadSession.Length"/>.
/// Unfinished uploads need not survive a crash (the client resumes from the length it is told, or starts over);
/// <see cref="IUploadStore.CommitAsync"/> makes the blob durable.
/// </summary>
public interface IUploadWriter : IAsyncDisposable
{
    /// <summary>The session's length including everything written through this writer.</summary>
    long Length { get; }

    /// <summary>Appends <paramref name="data"/> (every segment, in order) in as few store writes as the backend allows.</summary>
    ValueTask WriteAsync(ReadOnlySequence<byte> data, CancellationToken cancellationToken = default);
}
