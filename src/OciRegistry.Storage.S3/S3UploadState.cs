using System.Text.Json.Serialization;

namespace OciRegistry.Storage.S3;

/// <summary>
/// One state of an upload session, an object of its own (<see cref="S3Names.State"/>), written once with
/// <c>If-None-Match: *</c>: the session's repository and start, and the bytes written so far as pieces.
/// </summary>
/// <param name="Repository">The repository the upload was started in.</param>
/// <param name="StartedAt">When the session was created.</param>
/// <param name="Pieces">The session's bytes in order. Every piece but the trailing ones is at least
/// <see cref="S3Parts.MinPartBytes"/> long; the trailing pieces shorter than that add up to less than it.</param>
internal sealed record S3UploadState(string Repository, DateTimeOffset StartedAt, IReadOnlyList<S3Piece> Pieces)
{
    [JsonIgnore]
    public long Length => Pieces.Sum(piece => piece.Length);
}

/// <summary>The first <paramref name="Length"/> bytes of object <paramref name="Key"/>.</summary>
/// <param name="Key">The object.</param>
/// <param name="Length">How many of its bytes belong to the session (fewer than it has when a writer was opened inside it).</param>
/// <param name="Whole">Whether that is the whole object.</param>
internal sealed record S3Piece(string Key, long Length, bool Whole);

[JsonSerializable(typeof(S3UploadState))]
internal sealed partial class S3JsonContext : JsonSerializerContext;
