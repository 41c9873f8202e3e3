using System.Buffers;

namespace OciRegistry.Core.Storage;

/// <summary>Appends bytes to an upload session. Disposing it makes what was written durable and visible in <see cref="UploadSession.Length"/>.</summary>
public interface IUploadWriter : IAsyncDisposable
{
    /// <summary>The session's length including everything written through this writer.</summary>
    long Length { get; }

    /// <summary>Appends <paramref name="data"/> (every segment, in order) in as few store writes as the backend allows.</summary>
    ValueTask WriteAsync(ReadOnlySequence<byte> data, CancellationToken cancellationToken = default);
}
