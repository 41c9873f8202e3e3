using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OciRegistry.Core.Operations;
using OciRegistry.Core.Storage;

namespace OciRegistry.AspNetCore.Endpoints;

/// <summary>
/// Who opened which upload session, for <see cref="RegistryOptions.MaxUploadSessionsPerClient"/>: a client that
/// leaves sessions open (abandoned pushes) runs into its own limit, not everyone's. A session this instance finishes
/// or cancels for the client is forgotten at once; the store stays the truth for the rest: when a client reaches its
/// limit, its sessions are looked up again, so those finished elsewhere, failed or expired stop counting. A client
/// that pushes one blob after another thus costs no lookup per new session.
/// </summary>
internal sealed class UploadSessionOwners(UploadOperations uploads, IOptions<RegistryOptions> options)
{
    // client → (session id → repository)
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, string>> _sessions = new(StringComparer.Ordinal);

    /// <summary>Whether the caller may open one more session.</summary>
    public async ValueTask<bool> MayStartAsync(HttpContext context)
    {
        if (options.Value.MaxUploadSessionsPerClient is not { } limit || !_sessions.TryGetValue(ClientOf(context), out var open))
        {
            return true;
        }

        if (open.Count >= limit)
        {
            await PruneAsync(open, context.RequestAborted).ConfigureAwait(false);
        }

        return open.Count < limit;
    }

    /// <summary>Records a session the caller opened.</summary>
    public void Started(HttpContext context, UploadSession session)
    {
        if (options.Value.MaxUploadSessionsPerClient is not null)
        {
            _sessions.GetOrAdd(ClientOf(context), _ => new(StringComparer.Ordinal))[session.Id] = session.Repository.Value;
        }
    }

    /// <summary>Forgets a session the caller finished or cancelled.</summary>
    public void Ended(HttpContext context, string id)
    {
        if (_sessions.TryGetValue(ClientOf(context), out var open))
        {
            open.TryRemove(id, out _);
        }
    }

    /// <summary>Forgets sessions that ended, and clients left with none; run with the scheduled cleanup.</summary>
    public async ValueTask PruneAsync(CancellationToken cancellationToken)
    {
        foreach (var (client, open) in _sessions)
        {
            await PruneAsync(open, cancellationToken).ConfigureAwait(false);
            if (open.IsEmpty)
            {
                _sessions.TryRemove(new KeyValuePair<string, ConcurrentDictionary<string, string>>(client, open));
            }
        }
    }

    private async ValueTask PruneAsync(ConcurrentDictionary<string, string> open, CancellationToken cancellationToken)
    {
        foreach (var (id, repository) in open)
        {
            if (!(await uploads.GetAsync(repository, id, cancellationToken).ConfigureAwait(false)).IsSuccess)
            {
                open.TryRemove(id, out _);
            }
        }
    }

    // The signed-in user when the host's authentication (or the built-in Basic and token modes) named one, else the
    // remote address.
    private static string ClientOf(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name }
            ? "user " + name
            : "address " + context.Connection.RemoteIpAddress;
}
