using OciRegistry.Core.References;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.InMemory;

/// <summary>
/// An <see cref="IUploadStore"/> that keeps sessions in memory and commits into an <see cref="InMemoryBlobStore"/>. Thread-safe.
/// </summary>
/// <remarks>
/// Each write is copied into one new array (the caller's buffers are reused by its pipe); committing hands the list of
/// arrays to the blob store without joining or copying them again.
/// </remarks>
public sealed class InMemoryUploadStore : IUploadStore
{
    private readonly ConcurrentDictionary<string, InMemoryUploadSession> _sessions = new(StringComparer.Ordinal);
    private readonly InMemoryBlobStore _blobs;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a store without sessions.</summary>
    /// <param name="blobs">The blob store committed uploads go to.</param>
    /// <param name="timeProvider">The clock stamping <see cref="UploadSession.StartedAt"/>; the system clock when omitted.</param>
    public InMemoryUploadStore(InMemoryBlobStore blobs, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        _blobs = blobs;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public ValueTask<UploadSession> CreateAsync(RepositoryName repository, CancellationToken cancellationToken = default)
    {
        var session = new InMemoryUploadSession(Guid.NewGuid().ToString("N"), repository, _timeProvider.GetUtcNow());
        _sessions[session.Id] = session;
        return ValueTask.FromResult(Snapshot(session));
    }

    /// <inheritdoc />
    public ValueTask<UploadSession?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_sessions.TryGetValue(id, out var session) ? Snapshot(session) : null);

    /// <inheritdoc />
    public ValueTask<(UploadWriteStatus Status, IUploadWriter? Writer)> OpenWriterAsync(string id, long offset, CancellationToken cancellationToken = default)
    {
        if (!_sessions.TryGetValue(id, out var session))
        {
            return ValueTask.FromResult<(UploadWriteStatus, IUploadWriter?)>((UploadWriteStatus.Unknown, null));
        }

        lock (session)
        {
            var status = session.Ended ? UploadWriteStatus.Unknown
                : session.HasWriter ? UploadWriteStatus.Busy
                : session.Length < offset ? UploadWriteStatus.OffsetMismatch
                : UploadWriteStatus.Opened;
            if (status != UploadWriteStatus.Opened)
            {
                return ValueTask.FromResult<(UploadWriteStatus, IUploadWriter?)>((status, null));
            }

            session.Truncate(offset);
            session.HasWriter = true;
        }

        return ValueTask.FromResult<(UploadWriteStatus, IUploadWriter?)>((UploadWriteStatus.Opened, new InMemoryUploadWriter(session)));
    }

    /// <inheritdoc />
    public ValueTask<IBlobContent?> OpenReadAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!_sessions.TryGetValue(id, out var session))
        {
            return ValueTask.FromResult<IBlobContent?>(null);
        }

        lock (session)
        {
            return ValueTask.FromResult<IBlobContent?>(session.Ended ? null : new ChunkedContent(session.Chunks));
        }
    }

    /// <inheritdoc />
    public ValueTask<UploadCommitStatus> CommitAsync(string id, Digest digest, long length, CancellationToken cancellationToken = default)
    {
        if (!_sessions.TryGetValue(id, out var session))
        {
            return ValueTask.FromResult(UploadCommitStatus.Unknown);
        }

        lock (session)
        {
            if (session.Ended)
            {
                return ValueTask.FromResult(UploadCommitStatus.Unknown);
            }

            if (session.HasWriter)
            {
                return ValueTask.FromResult(UploadCommitStatus.Busy);
            }

            if (session.Length != length)
            {
                return ValueTask.FromResult(UploadCommitStatus.LengthMismatch);
            }

            session.Ended = true;
            _sessions.TryRemove(id, out _);
            _blobs.Commit(digest, session.Chunks);
        }

        return ValueTask.FromResult(UploadCommitStatus.Committed);
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!_sessions.TryGetValue(id, out var session))
        {
            return ValueTask.FromResult(false);
        }

        lock (session)
        {
            if (session.Ended)
            {
                return ValueTask.FromResult(false);
            }

            session.Ended = true;
            _sessions.TryRemove(id, out _);
        }

        return ValueTask.FromResult(true);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<UploadSession> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var session in _sessions.Values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Snapshot(session);
        }
    }

    private static UploadSession Snapshot(InMemoryUploadSession session)
    {
        lock (session)
        {
            return new UploadSession(session.Id, session.Repository, session.StartedAt, session.Length);
        }
    }
}
