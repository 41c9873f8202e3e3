namespace OciRegistry.Core.Storage;

/// <summary>An open, immutable piece of stored content that can be read at any offset, any number of times.</summary>
/// <remarks>Implementations must allow concurrent <see cref="ReadAsync"/> calls at different offsets.</remarks>
public interface IBlobContent : IAsyncDisposable
{
    /// <summary>The content's length in bytes.</summary>
    long Length { get; }

    /// <summary>Reads up to <paramref name="buffer"/>'s length from <paramref name="offset"/>; returns 0 only at the end.</summary>
    ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken = default);
}
