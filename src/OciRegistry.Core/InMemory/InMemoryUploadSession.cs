using OciRegistry.Core.References;
namespace OciRegistry.Core.InMemory;

/// <summary>The mutable state of one in-memory upload session; every member is guarded by locking the instance.</summary>
internal sealed class InMemoryUploadSession(string id, RepositoryName repository, DateTimeOffset startedAt)
{
    public string Id { get; } = id;

    public RepositoryName Repository { get; } = repository;

    public DateTimeOffset StartedAt { get; } = startedAt;

    /// <summary>The bytes written so far, one array per write.</summary>
    public List<byte[]> Chunks { get; } = [];

    public long Length { get; set; }

    public bool HasWriter { get; set; }

    /// <summary>True once committed or deleted: writers still holding it must stop.</summary>
    public bool Ended { get; set; }

    /// <summary>Drops the bytes from <paramref name="length"/> on (a writer's whose append was not recorded).</summary>
    public void Truncate(long length)
    {
        while (Length > length)
        {
            var last = Chunks[^1];
            Chunks.RemoveAt(Chunks.Count - 1);
            Length -= last.Length;
            if (Length < length)
            {
                Chunks.Add(last[..(int)(length - Length)]);
                Length = length;
            }
        }
    }
}
