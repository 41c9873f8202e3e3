namespace OciRegistry.Storage.S3;

/// <summary>
/// What a writer opened at an offset starts from: the finished pieces before its bytes, the unfinished piece it goes on
/// adding parts to (its instance's own, kept whole), and the small trailing pieces its first part carries.
/// </summary>
/// <param name="Pieces">Finished pieces, each at least <see cref="S3Parts.MinPartBytes"/> long.</param>
/// <param name="Continued">This instance's unfinished piece after them, or null.</param>
/// <param name="Smalls">The small trailing pieces, together under <see cref="S3Parts.MinPartBytes"/>.</param>
/// <param name="Changed">Whether the pieces differ from the state's (cut at the offset, or an unfinished piece
/// completed), so the writer records a state even when it writes nothing.</param>
internal sealed record S3WriterStart(List<S3Piece> Pieces, S3Piece? Continued, List<S3Piece> Smalls, bool Changed)
{
    /// <summary>
    /// The pieces holding the first <paramref name="offset"/> bytes: the one the offset cuts counts only its first
    /// bytes, and an unfinished piece is completed first when the offset cuts it or another instance wrote it.
    /// </summary>
    public static async Task<S3WriterStart> CutAsync(S3UploadStore store, IReadOnlyList<S3Piece> pieces, long offset, CancellationToken cancellationToken)
    {
        var kept = new List<S3Piece>();
        var length = 0L;
        var changed = false;
        foreach (var listed in pieces)
        {
            if (length == offset)
            {
                changed = true; // pieces past the offset are left to the session's end
                break;
            }

            var piece = listed;
            var cut = length + piece.Length > offset;
            if (piece.Unfinished is { } unfinished && (cut || !store.IsOwn(unfinished)))
            {
                piece = await store.SealAsync(piece, cancellationToken).ConfigureAwait(false);
                changed = true;
            }

            if (cut)
            {
                kept.Add(piece with { Length = offset - length, Whole = false });
                changed = true;
                break;
            }

            kept.Add(piece);
            length += piece.Length;
        }

        var trailing = kept.Count;
        while (trailing > 0 && kept[trailing - 1] is { Unfinished: null, Length: < S3Parts.MinPartBytes })
        {
            trailing--;
        }

        var smalls = kept[trailing..];
        kept.RemoveRange(trailing, kept.Count - trailing);
        S3Piece? continued = null;
        if (kept is [.., { Unfinished: not null } last])
        {
            continued = last;
            kept.RemoveAt(kept.Count - 1);
        }

        return new S3WriterStart(kept, continued, smalls, changed);
    }
}
