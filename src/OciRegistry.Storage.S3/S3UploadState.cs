using System.Text.Json.Serialization;

namespace OciRegistry.Storage.S3;

/// <summary>
/// One state of an upload session, an object of its own (<see cref="S3Names.State"/>), written once with
/// <c>If-None-Match: *</c>: the session's repository and start, and the bytes written so far as pieces.
/// </summary>
/// <param name="Repository">The repository the upload was started in.</param>
/// <param name="StartedAt">When the session was created.</param>
/// <param name="Pieces">The session's bytes in order. Every piece but the trailing ones is at least
/// <see cref="S3Parts.MinPartBytes"/> long; the trailing pieces shorter than that add up to less than it. At most one
/// piece is unfinished, and only small pieces follow it.</param>
internal sealed record S3UploadState(string Repository, DateTimeOffset StartedAt, IReadOnlyList<S3Piece> Pieces)
{
    [JsonIgnore]
    public long Length => Pieces.Sum(piece => piece.Length);
}

/// <summary>The first <paramref name="Length"/> bytes of object <paramref name="Key"/>.</summary>
/// <param name="Key">The object.</param>
/// <param name="Length">How many of its bytes belong to the session (fewer than it has when a writer was opened inside it).</param>
/// <param name="Whole">Whether that is the whole object.</param>
/// <param name="Unfinished">Set while the object is a multipart upload not completed yet: its bytes are the recorded
/// parts, and it cannot be read until it is completed (<see cref="S3UploadStore.SealAsync"/>).</param>
internal sealed record S3Piece(string Key, long Length, bool Whole, S3Unfinished? Unfinished = null);

/// <summary>
/// A multipart upload a session's PATCHes keep appending parts to, so that the commit completes one upload and copies one
/// object (a reference copy on Ceph) instead of joining a piece per PATCH with <c>UploadPartCopy</c>, which copies bytes.
/// </summary>
/// <param name="UploadId">The multipart upload.</param>
/// <param name="Writer">The store instance whose writers add parts to it; any other completes it first (its own stale
/// writer could still be sending parts numbered like the ones it would add).</param>
/// <param name="Parts">The parts recorded, in order.</param>
internal sealed record S3Unfinished(string UploadId, string Writer, IReadOnlyList<S3Part> Parts);

/// <summary>A part of an unfinished piece.</summary>
/// <param name="Number">Its part number.</param>
/// <param name="ETag">What S3 answered when it was sent (checked again at completion).</param>
/// <param name="Length">Its bytes.</param>
internal sealed record S3Part(int Number, string ETag, long Length);

[JsonSerializable(typeof(S3UploadState))]
internal sealed partial class S3JsonContext : JsonSerializerContext;
