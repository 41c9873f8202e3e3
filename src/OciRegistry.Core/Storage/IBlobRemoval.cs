namespace OciRegistry.Core.Storage;

/// <summary>
/// A blob taken out of sight by <see cref="IBlobStore.BeginRemoveAsync"/>, not yet destroyed: finish removing it, or
/// put it back. One of the two must be called.
/// </summary>
public interface IBlobRemoval
{
    /// <summary>Destroys the hidden blob.</summary>
    ValueTask CompleteAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts the blob back where readers see it. When the same digest was stored again meanwhile, that copy stays
    /// (the content is the same) and the hidden one is destroyed.
    /// </summary>
    ValueTask UndoAsync(CancellationToken cancellationToken = default);
}
