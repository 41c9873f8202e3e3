using OciRegistry.Core.References;
namespace OciRegistry.Core.Storage;

/// <summary>The durable state of an upload session, as the store keeps it.</summary>
/// <param name="Id">The session's opaque identifier (URL-safe).</param>
/// <param name="Repository">The repository the upload was started in.</param>
/// <param name="StartedAt">When it was created (sessions expire after a configured time).</param>
/// <param name="Length">How many bytes have been written so far: the next chunk must start here.</param>
public sealed record UploadSession(string Id, RepositoryName Repository, DateTimeOffset StartedAt, long Length);
