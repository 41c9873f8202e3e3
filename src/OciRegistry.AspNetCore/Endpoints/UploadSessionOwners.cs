using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OciRegistry.Core.Operations;
using OciRegistry.Core.Storage;

namespace OciRegistry.AspNetCore.Endpoints;

/// <summary>
/// Who opened which upload session, for <see cref="RegistryOptions.MaxUploadSessionsPerClient"/>: a client that
/// leaves sessions open (abandoned pushes) runs into its own limit, not everyone's. The store stays the truth: a
/// client's sessions are looked up again before each new one, so finished, cancelled and expired ones stop counting.
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

        await PruneAsync(open, context.RequestAborted).ConfigureAwait(false);
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
