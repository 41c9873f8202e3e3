using OciRegistry.Core.References;
using System.Runtime.CompilerServices;
using OciRegistry.Core.Storage;

namespace OciRegistry.Core.InMemory;

/// <summary>Upload session rows, under the store's one lock.</summary>
public sealed partial class InMemoryMetadataStore : IUploadSessionStore
{
    private readonly Dictionary<string, UploadSessionRow> _uploadSessions = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask CreateUploadSessionAsync(UploadSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        lock (_lock)
        {
            _uploadSessions.Add(session.Id, new UploadSessionRow(session with { Length = 0 }));
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<UploadSession?> GetUploadSessionAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_uploadSessions.GetValueOrDefault(id)?.Session);
        }
    }

    /// <inheritdoc />
    public ValueTask<UploadWriteStatus> LeaseUploadSessionAsync(string id, long offset, string owner, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var status = _uploadSessions.GetValueOrDefault(id) switch
            {
                null => UploadWriteStatus.Unknown,
                { Session.Length: var length } when length != offset => UploadWriteStatus.OffsetMismatch,
                { LeaseOwner: not null, LeaseExpiresAt: var expires } when expires > now => UploadWriteStatus.Busy,
                _ => UploadWriteStatus.Opened,
            };
            if (status == UploadWriteStatus.Opened)
            {
                _uploadSessions[id] = _uploadSessions[id] with { LeaseOwner = owner, LeaseExpiresAt = now + duration };
            }

            return ValueTask.FromResult(status);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> AdvanceUploadSessionAsync(string id, string owner, long from, long to, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_uploadSessions.GetValueOrDefault(id) is not { } row || row.LeaseOwner != owner || row.Session.Length != from)
            {
                return ValueTask.FromResult(false);
            }

            _uploadSessions[id] = new UploadSessionRow(row.Session with { Length = to });
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<UploadCommitStatus> EndUploadSessionAsync(string id, long? length, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var status = _uploadSessions.GetValueOrDefault(id) switch
            {
                null => UploadCommitStatus.Unknown,
                _ when length is null => UploadCommitStatus.Committed,
                { LeaseOwner: not null, LeaseExpiresAt: var expires } when expires > _time.GetUtcNow() => UploadCommitStatus.Busy,
                { Session.Length: var current } when current != length => UploadCommitStatus.LengthMismatch,
                _ => UploadCommitStatus.Committed,
            };
            if (status == UploadCommitStatus.Committed)
            {
                _uploadSessions.Remove(id);
            }

            return ValueTask.FromResult(status);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<UploadSession> ListUploadSessionsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        UploadSession[] sessions;
        lock (_lock)
        {
            sessions = [.. _uploadSessions.Values.Select(row => row.Session)];
        }

        foreach (var session in sessions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return session;
        }
    }

    private sealed record UploadSessionRow(UploadSession Session, string? LeaseOwner = null, DateTimeOffset? LeaseExpiresAt = null);
}
