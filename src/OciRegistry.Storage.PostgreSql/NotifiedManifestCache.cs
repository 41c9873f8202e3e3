using System.Collections.Concurrent;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.PostgreSql;

/// <summary>
/// One instance's manifest records by repository and reference (tag or digest), kept only while PostgreSQL's change
/// notifications for them reach this instance (<see cref="PostgreSqlManifestChangeListener"/>): a change of a
/// repository's tags or manifests, by any instance, drops that repository's entries.
/// </summary>
/// <remarks>
/// <para>Safe by construction rather than by timing: while the listener is not confirmed connected the cache answers
/// nothing and keeps nothing, and each (re)connect starts it empty, so a notification lost with a connection can never
/// leave an entry behind. A fill records the <see cref="StartFill">generation</see> before its query and is dropped if
/// any invalidation came in between (the query may have read what the invalidation announced as changed); the check
/// and the insert happen under the same lock as invalidations, so none slips between them.</para>
/// <para>Bounded: when <see cref="Capacity"/> entries are kept, the next fill empties the cache first.</para>
/// </remarks>
internal sealed class NotifiedManifestCache
{
    /// <summary>The most records kept (a few hundred bytes each).</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, ManifestRecord>> _repositories = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _generation;
    private int _count;
    private volatile bool _listening;

    /// <summary>Raised after a repository's entries were dropped for a notification or a write of this instance.</summary>
    public event Action<string>? Invalidated;

    /// <summary>Raised after the listener was confirmed connected (true) or lost its connection (false).</summary>
    public event Action<bool>? ListeningChanged;

    /// <summary>Whether the listener is confirmed connected, so entries are kept and served.</summary>
    public bool IsListening => _listening;

    /// <summary>The record kept for <paramref name="reference"/> of <paramref name="repository"/>, if any.</summary>
    public bool TryGet(string repository, string reference, out ManifestRecord? record)
    {
        record = null;
        return _listening
            && _repositories.TryGetValue(repository, out var references)
            && references.TryGetValue(reference, out record);
    }

    /// <summary>Read before a query whose answer may be kept: null while nothing may be kept.</summary>
    public long? StartFill()
    {
        lock (_lock)
        {
            return _listening ? _generation : null;
        }
    }

    /// <summary>Keeps <paramref name="record"/> unless anything was invalidated since <paramref name="generation"/>.</summary>
    public void Fill(string repository, string reference, ManifestRecord record, long? generation)
    {
        lock (_lock)
        {
            if (!_listening || generation != _generation)
            {
                return;
            }

            if (_count >= Capacity)
            {
                _repositories.Clear();
                _count = 0;
            }

            if (_repositories.GetOrAdd(repository, _ => new ConcurrentDictionary<string, ManifestRecord>(StringComparer.Ordinal)).TryAdd(reference, record))
            {
                _count++;
            }
        }
    }

    /// <summary>Drops every entry of <paramref name="repository"/> and every fill under way.</summary>
    public void Invalidate(string repository)
    {
        lock (_lock)
        {
            _generation++;
            if (_repositories.TryRemove(repository, out var references))
            {
                _count -= references.Count;
            }
        }

        Invalidated?.Invoke(repository);
    }

    /// <summary>The listener is listening: start empty, keep entries from now on.</summary>
    public void StartListening() => SetListening(true);

    /// <summary>The listener lost its connection: drop everything, keep nothing until it is back.</summary>
    public void StopListening() => SetListening(false);

    private void SetListening(bool listening)
    {
        lock (_lock)
        {
            _generation++;
            _repositories.Clear();
            _count = 0;
            _listening = listening;
        }

        ListeningChanged?.Invoke(listening);
    }
}
