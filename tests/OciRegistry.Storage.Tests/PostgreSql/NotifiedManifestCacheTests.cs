using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using OciRegistry.Core.References;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.PostgreSql;

namespace OciRegistry.Storage.Tests.PostgreSql;

/// <summary>
/// The notified manifest cache across two instances on one database: A writes (no cache), B pulls through its cache
/// and its listener. No timing: each step waits for what B observably saw (a notification, its listener's state).
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class NotifiedManifestCacheTests(PostgreSqlServer server) : IAsyncLifetime
{
    private static readonly RepositoryName Repository = RepositoryName.Parse("team/app");

    private readonly NotifiedManifestCache _cache = new();
    private readonly FakeTimeProvider _clock = new();
    private readonly SemaphoreSlim _notified = new(0);
    private readonly SemaphoreSlim _listening = new(0);
    private readonly SemaphoreSlim _lost = new(0);
    private NpgsqlDataSource? _database;
    private PostgreSqlMetadataDataSource? _instanceB;
    private PostgreSqlManifestChangeListener? _listener;

    private PostgreSqlMetadataStore A => new(_database!);

    private PostgreSqlMetadataStore B => new(_instanceB!.DataSource, reads: _instanceB.Reads) { NotifiedCache = _cache };

    public async Task InitializeAsync()
    {
        _database = await server.CreateDatabaseAsync();
        _instanceB = new PostgreSqlMetadataDataSource(Options.Create(new PostgreSqlMetadataOptions { ConnectionString = _database.ConnectionString }));
        _cache.Invalidated += repository => _notified.Release();
        _cache.ListeningChanged += listening => (listening ? _listening : _lost).Release();
        _listener = new PostgreSqlManifestChangeListener(
            _instanceB.Listener,
            _cache,
            Options.Create(new PostgreSqlMetadataOptions { NotifiedCache = true }),
            _clock,
            NullLogger<PostgreSqlManifestChangeListener>.Instance);
        await _listener.StartAsync(CancellationToken.None);
        await _listening.WaitAsync();
    }

    public async Task DisposeAsync()
    {
        await _listener!.StopAsync(CancellationToken.None);
        _listener.Dispose();
        await _instanceB!.DisposeAsync();
        await _database!.DisposeAsync();
    }

    [Fact]
    public async Task TagMovedThroughA_IsServedByB_AfterBSawTheNotification()
    {
        var (before, after) = (Manifest("before"), Manifest("after"));
        await PutThroughAAsync(before, "latest");
        Assert.Equal(before.Digest, (await B.GetTaggedManifestAsync(Repository, "latest"))!.Digest);
        Assert.True(_cache.TryGet(Repository.Value, "latest", out _));

        await PutThroughAAsync(after, "latest");

        Assert.False(_cache.TryGet(Repository.Value, "latest", out _));
        Assert.Equal(after.Digest, (await B.GetTaggedManifestAsync(Repository, "latest"))!.Digest);
    }

    [Fact]
    public async Task TagDeletedThroughA_IsGoneFromB_AfterBSawTheNotification()
    {
        var image = Manifest("image");
        await PutThroughAAsync(image, "latest");
        Assert.NotNull(await B.GetTaggedManifestAsync(Repository, "latest"));
        Assert.NotNull(await B.GetManifestAsync(Repository, image.Digest));

        Assert.True(await A.DeleteManifestAsync(Repository, image.Digest));
        await _notified.WaitAsync();

        Assert.Null(await B.GetTaggedManifestAsync(Repository, "latest"));
        Assert.Null(await B.GetManifestAsync(Repository, image.Digest));
    }

    [Fact]
    public async Task WriteThroughB_IsServedByB_WithoutWaitingForItsNotification()
    {
        var (before, after) = (Manifest("before"), Manifest("after"));
        await PutThroughAAsync(before, "latest");
        Assert.Equal(before.Digest, (await B.GetTaggedManifestAsync(Repository, "latest"))!.Digest);

        Assert.True((await B.PutManifestAsync(Repository, after, ManifestReferences.None, "latest")).Stored);
        Assert.Equal(after.Digest, (await B.GetTaggedManifestAsync(Repository, "latest"))!.Digest);

        Assert.True(await B.DeleteTagAsync(Repository, "latest"));
        Assert.Null(await B.GetTaggedManifestAsync(Repository, "latest"));
    }

    [Fact]
    public async Task DroppedListener_MakesBBypassAndEmptyItsCache_UntilItListensAgain()
    {
        var (before, after) = (Manifest("before"), Manifest("after"));
        await PutThroughAAsync(after, tag: null);
        await PutThroughAAsync(before, "latest");
        Assert.Equal(before.Digest, (await B.GetTaggedManifestAsync(Repository, "latest"))!.Digest);

        // A move no trigger announces (triggers off for this session): B keeps answering from its cache...
        await MoveTagSilentlyAsync("latest", after);
        Assert.Equal(before.Digest, (await B.GetTaggedManifestAsync(Repository, "latest"))!.Digest);

        // ...until its listening connection is gone: then it asks PostgreSQL and keeps nothing.
        await using (var terminate = _database!.CreateCommand("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()"))
        {
            terminate.Parameters.Add(new NpgsqlParameter { Value = PostgreSqlManifestChangeListener.ApplicationName });
            Assert.Equal(1L, await terminate.ExecuteScalarAsync());
        }

        await _lost.WaitAsync();
        Assert.False(_cache.IsListening);
        Assert.Equal(after.Digest, (await B.GetTaggedManifestAsync(Repository, "latest"))!.Digest);
        Assert.False(_cache.TryGet(Repository.Value, "latest", out _));

        // Listening again, it starts empty: the move it never heard of is not served stale.
        await MoveTagSilentlyAsync("latest", before);
        _clock.Advance(PostgreSqlManifestChangeListener.RetryDelay);
        await _listening.WaitAsync();
        Assert.False(_cache.TryGet(Repository.Value, "latest", out _));
        Assert.Equal(before.Digest, (await B.GetTaggedManifestAsync(Repository, "latest"))!.Digest);
        Assert.True(_cache.TryGet(Repository.Value, "latest", out _));
    }

    // A put through A, once B has seen its notification (one per transaction).
    private async Task PutThroughAAsync(ManifestRecord manifest, string? tag)
    {
        Assert.True((await A.PutManifestAsync(Repository, manifest, ManifestReferences.None, tag)).Stored);
        await _notified.WaitAsync();
    }

    private async Task MoveTagSilentlyAsync(string tag, ManifestRecord to)
    {
        await using var connection = await _database!.OpenConnectionAsync();
        await using (var triggersOff = new NpgsqlCommand("SET session_replication_role = replica", connection))
        {
            await triggersOff.ExecuteNonQueryAsync();
        }

        await using var move = new NpgsqlCommand("UPDATE tags SET digest = $1 WHERE repository = $2 AND name = $3", connection);
        move.Parameters.Add(new NpgsqlParameter { Value = to.Digest.ToString() });
        move.Parameters.Add(new NpgsqlParameter { Value = Repository.Value });
        move.Parameters.Add(new NpgsqlParameter { Value = tag });
        Assert.Equal(1, await move.ExecuteNonQueryAsync());
    }

    private static ManifestRecord Manifest(string name) =>
        new(TestContent.DigestOf(name), "application/vnd.oci.image.manifest.v1+json", 100 + name.Length);
}
