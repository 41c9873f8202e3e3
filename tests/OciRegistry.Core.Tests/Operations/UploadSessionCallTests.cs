using System.IO.Pipelines;
using Microsoft.Extensions.Options;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Errors;
using OciRegistry.Core.InMemory;
using OciRegistry.Core.Operations;
using OciRegistry.Core.References;
using OciRegistry.Core.Storage;
using OciRegistry.Core.Tests.Maintenance;

namespace OciRegistry.Core.Tests.Operations;

/// <summary>
/// A PATCH reads its session and leases it in one call to the session store (on a database each call is a round
/// trip), and still refuses what the read refused: another repository's session, an expired one, another offset.
/// </summary>
public sealed class UploadSessionCallTests
{
    private readonly ManualClock _clock = new();
    private readonly RecordingSessionStore _sessions;
    private readonly UploadOperations _operations;
    private readonly RegistryOptions _options = new();

    public UploadSessionCallTests()
    {
        var blobs = new InMemoryBlobStore(_clock);
        var metadata = new InMemoryMetadataStore(_clock);
        _sessions = new RecordingSessionStore(metadata);
        _operations = new UploadOperations(new InMemoryUploadStore(blobs, _clock), _sessions, blobs, metadata, Options.Create(_options), _clock);
    }

    [Fact]
    public async Task APatch_ReadsAndLeasesItsSessionInOneCall_ThenRecordsItsAppend()
    {
        var session = (await _operations.StartAsync("team/app")).Value;
        _sessions.Calls.Clear();

        var appended = await _operations.AppendAsync("team/app", session.Id, rangeStart: null, Body("0123456789"));

        Assert.Equal(10, appended.Value.Length);
        Assert.Equal([nameof(IUploadSessionStore.LeaseLiveUploadSessionAsync), nameof(IUploadSessionStore.AdvanceUploadSessionAsync)], _sessions.Calls);
    }

    [Fact]
    public async Task APatch_AtAnotherOffset_IsOutOfOrder_WithTheSessionsLength()
    {
        var session = (await _operations.StartAsync("team/app")).Value;
        await _operations.AppendAsync("team/app", session.Id, rangeStart: null, Body("01234"));

        var appended = await _operations.AppendAsync("team/app", session.Id, rangeStart: 3, Body("56789"));

        Assert.Equal(RegistryErrorCode.BlobUploadInvalid, appended.Error?.Code);
        Assert.Equal(5, appended.Error!.UploadLength);
    }

    [Fact]
    public async Task APatch_ToAnotherRepositorysSession_OrAnExpiredOne_IsUnknown()
    {
        var session = (await _operations.StartAsync("team/app")).Value;

        Assert.Equal(RegistryErrorCode.BlobUploadUnknown, (await _operations.AppendAsync("team/other", session.Id, null, Body("x"))).Error?.Code);
        _clock.Advance(_options.UploadSessionLifetime + TimeSpan.FromSeconds(1));
        Assert.Equal(RegistryErrorCode.BlobUploadUnknown, (await _operations.AppendAsync("team/app", session.Id, null, Body("x"))).Error?.Code);
    }

    private static PipeReader Body(string content) => PipeReader.Create(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)));

    // Records each call the operations make; the read-and-lease is passed on whole, so a store's own is what runs.
    private sealed class RecordingSessionStore(IUploadSessionStore inner) : IUploadSessionStore
    {
        public List<string> Calls { get; } = [];

        public ValueTask CreateUploadSessionAsync(UploadSession session, CancellationToken cancellationToken = default) =>
            Record(nameof(CreateUploadSessionAsync), inner.CreateUploadSessionAsync(session, cancellationToken));

        public ValueTask<UploadSession?> GetUploadSessionAsync(string id, CancellationToken cancellationToken = default) =>
            Record(nameof(GetUploadSessionAsync), inner.GetUploadSessionAsync(id, cancellationToken));

        public ValueTask<UploadWriteStatus> LeaseUploadSessionAsync(string id, long offset, string owner, TimeSpan duration, CancellationToken cancellationToken = default) =>
            Record(nameof(LeaseUploadSessionAsync), inner.LeaseUploadSessionAsync(id, offset, owner, duration, cancellationToken));

        public ValueTask<(UploadSession? Session, UploadWriteStatus Status)> LeaseLiveUploadSessionAsync(string id, RepositoryName repository, DateTimeOffset notStartedBefore, long? offset, string owner, TimeSpan duration, CancellationToken cancellationToken = default) =>
            Record(nameof(LeaseLiveUploadSessionAsync), inner.LeaseLiveUploadSessionAsync(id, repository, notStartedBefore, offset, owner, duration, cancellationToken));

        public ValueTask<bool> AdvanceUploadSessionAsync(string id, string owner, long from, long to, CancellationToken cancellationToken = default) =>
            Record(nameof(AdvanceUploadSessionAsync), inner.AdvanceUploadSessionAsync(id, owner, from, to, cancellationToken));

        public ValueTask<UploadCommitStatus> EndUploadSessionAsync(string id, long? length, CancellationToken cancellationToken = default) =>
            Record(nameof(EndUploadSessionAsync), inner.EndUploadSessionAsync(id, length, cancellationToken));

        public IAsyncEnumerable<UploadSession> ListUploadSessionsAsync(CancellationToken cancellationToken = default)
        {
            Calls.Add(nameof(ListUploadSessionsAsync));
            return inner.ListUploadSessionsAsync(cancellationToken);
        }

        private ValueTask<T> Record<T>(string method, ValueTask<T> call)
        {
            Calls.Add(method);
            return call;
        }

        private ValueTask Record(string method, ValueTask call)
        {
            Calls.Add(method);
            return call;
        }
    }
}
