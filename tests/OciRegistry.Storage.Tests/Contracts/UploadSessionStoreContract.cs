using OciRegistry.Core.References;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;
using OciRegistry.Core.Tests.Maintenance;

namespace OciRegistry.Storage.Tests.Contracts;

/// <summary>
/// What every <see cref="IUploadSessionStore"/> must do, seen from two registry instances sharing one backend: one
/// writer at a time, an append counted only by compare-and-set on the offset and the writer's lease, and a session
/// that ends exactly once.
/// </summary>
public abstract class UploadSessionStoreContract
{
    private static readonly RepositoryName Repository = RepositoryName.Parse("library/alpine");
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);
    private static readonly Digest Blob = TestContent.DigestOf("a finished upload");

    private readonly Lazy<(IUploadSessionStore A, IUploadSessionStore B)> _instances;

    protected UploadSessionStoreContract()
    {
        _instances = new Lazy<(IUploadSessionStore, IUploadSessionStore)>(() => CreateInstances(Clock));
    }

    private ManualClock Clock { get; } = new();

    private IUploadSessionStore A => _instances.Value.A;

    private IUploadSessionStore B => _instances.Value.B;

    /// <summary>Two stores on one backend (two instances of the registry), reading time from <paramref name="time"/>.</summary>
    protected abstract (IUploadSessionStore A, IUploadSessionStore B) CreateInstances(TimeProvider time);

    [Fact]
    public async Task ASessionCreatedOnOneInstance_IsSeenByTheOther_AtLengthZero()
    {
        var session = await CreateAsync(A);

        Assert.Equal(session, await B.GetUploadSessionAsync(session.Id));
        Assert.Equal([session], await B.ListUploadSessionsAsync().ToListAsync());
        Assert.Null(await B.GetUploadSessionAsync(Guid.NewGuid().ToString("N")));
    }

    [Fact]
    public async Task ALease_IsRefusedAtAnotherOffset_OrWhileAnotherIsLive()
    {
        var session = await CreateAsync(A);

        Assert.Equal(UploadWriteStatus.Unknown, await A.LeaseUploadSessionAsync(Guid.NewGuid().ToString("N"), 0, "a", Lease));
        Assert.Equal(UploadWriteStatus.OffsetMismatch, await A.LeaseUploadSessionAsync(session.Id, 3, "a", Lease));
        Assert.Equal(UploadWriteStatus.Opened, await A.LeaseUploadSessionAsync(session.Id, 0, "a", Lease));
        Assert.Equal(UploadWriteStatus.Busy, await B.LeaseUploadSessionAsync(session.Id, 0, "b", Lease));

        Assert.True(await A.AdvanceUploadSessionAsync(session.Id, "a", 0, 10));

        Assert.Equal(10, (await B.GetUploadSessionAsync(session.Id))!.Length);
        Assert.Equal(UploadWriteStatus.OffsetMismatch, await B.LeaseUploadSessionAsync(session.Id, 0, "b", Lease));
        Assert.Equal(UploadWriteStatus.Opened, await B.LeaseUploadSessionAsync(session.Id, 10, "b", Lease));
    }

    [Fact]
    public async Task AStaleWriter_IsRefused_AfterTheOtherInstanceTookTheSessionOverAndAppended()
    {
        var session = await CreateAsync(A);
        Assert.Equal(UploadWriteStatus.Opened, await A.LeaseUploadSessionAsync(session.Id, 0, "stalled", Lease));
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));

        Assert.Equal(UploadWriteStatus.Opened, await B.LeaseUploadSessionAsync(session.Id, 0, "fresh", Lease));
        Assert.True(await B.AdvanceUploadSessionAsync(session.Id, "fresh", 0, 5));

        Assert.False(await A.AdvanceUploadSessionAsync(session.Id, "stalled", 0, 10));
        Assert.False(await A.AdvanceUploadSessionAsync(session.Id, "stalled", 5, 10));
        Assert.Equal(5, (await A.GetUploadSessionAsync(session.Id))!.Length);
    }

    [Fact]
    public async Task AWriterPastItsLease_StillRecords_WhenNobodyTookItOver()
    {
        var session = await CreateAsync(A);
        Assert.Equal(UploadWriteStatus.Opened, await A.LeaseUploadSessionAsync(session.Id, 0, "slow", Lease));
        Clock.Advance(Lease * 2);

        Assert.True(await A.AdvanceUploadSessionAsync(session.Id, "slow", 0, 7));

        Assert.Equal(7, (await B.GetUploadSessionAsync(session.Id))!.Length);
        Assert.False(await A.AdvanceUploadSessionAsync(session.Id, "slow", 7, 9)); // the advance released the lease
    }

    [Fact]
    public async Task ACommit_EndsOnlyAtTheHashedLength_WithNoLiveWriter()
    {
        var session = await CreateAsync(A);
        Assert.Equal(UploadWriteStatus.Opened, await A.LeaseUploadSessionAsync(session.Id, 0, "a", Lease));

        Assert.Equal(UploadCommitStatus.Busy, await B.EndUploadSessionAsync(session.Id, 0));
        Assert.True(await A.AdvanceUploadSessionAsync(session.Id, "a", 0, 10));
        Assert.Equal(UploadCommitStatus.LengthMismatch, await B.EndUploadSessionAsync(session.Id, 0));
        Assert.Equal(10, (await A.GetUploadSessionAsync(session.Id))!.Length);

        Assert.Equal(UploadCommitStatus.Committed, await B.EndUploadSessionAsync(session.Id, 10));

        Assert.Null(await A.GetUploadSessionAsync(session.Id));
        Assert.Equal(UploadCommitStatus.Unknown, await A.EndUploadSessionAsync(session.Id, 10));
        Assert.Empty(await A.ListUploadSessionsAsync().ToListAsync());
    }

    [Fact]
    public async Task ACommit_TakesOverAnExpiredLease()
    {
        var session = await CreateAsync(A);
        Assert.Equal(UploadWriteStatus.Opened, await A.LeaseUploadSessionAsync(session.Id, 0, "crashed", Lease));
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));

        Assert.Equal(UploadCommitStatus.Committed, await B.EndUploadSessionAsync(session.Id, 0));

        Assert.False(await A.AdvanceUploadSessionAsync(session.Id, "crashed", 0, 3));
    }

    [Fact]
    public async Task ACancellation_EndsALeasedSession_AndItsWriterIsThenRefused()
    {
        var session = await CreateAsync(A);
        Assert.Equal(UploadWriteStatus.Opened, await A.LeaseUploadSessionAsync(session.Id, 0, "a", Lease));

        Assert.Equal(UploadCommitStatus.Committed, await B.EndUploadSessionAsync(session.Id, length: null));

        Assert.False(await A.AdvanceUploadSessionAsync(session.Id, "a", 0, 4));
        Assert.Null(await A.GetUploadSessionAsync(session.Id));
    }

    [Fact]
    public async Task ACommitRacingAnAppend_OnTwoInstances_NeverBothSucceed()
    {
        for (var round = 0; round < 30; round++)
        {
            var session = await CreateAsync(A);
            var append = Task.Run(async () =>
                await A.LeaseUploadSessionAsync(session.Id, 0, "writer", Lease) == UploadWriteStatus.Opened
                && await A.AdvanceUploadSessionAsync(session.Id, "writer", 0, 10));
            var commit = Task.Run(async () => await B.EndUploadSessionAsync(session.Id, 0));

            var (appended, committed) = (await append, await commit);

            var row = await A.GetUploadSessionAsync(session.Id);
            if (committed == UploadCommitStatus.Committed)
            {
                Assert.False(appended);
                Assert.Null(row);
            }
            else
            {
                Assert.Contains(committed, new[] { UploadCommitStatus.Busy, UploadCommitStatus.LengthMismatch });
                Assert.True(appended);
                Assert.Equal(10, row!.Length);
            }
        }
    }

    [Fact]
    public async Task ASession_EndsExactlyOnce_WhateverEndsItOnEitherInstance()
    {
        for (var round = 0; round < 20; round++)
        {
            var session = await CreateAsync(A);

            var ends = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
                await (i % 2 == 0 ? A : B).EndUploadSessionAsync(session.Id, i % 4 < 2 ? 0 : null))));

            Assert.Single(ends, status => status == UploadCommitStatus.Committed);
            Assert.All(ends.Where(status => status != UploadCommitStatus.Committed), status => Assert.Equal(UploadCommitStatus.Unknown, status));
        }
    }

    [Fact]
    public async Task AFinishedUpload_IsLinkedAndItsSessionEnded_OrNeitherWhileACollectorDeletesItsBlob()
    {
        var session = await CreateAsync(A);
        Assert.True(await Metadata(A).TryAcquireCollectorLeaseAsync("collector", Lease));
        Assert.True(await Metadata(A).BeginBlobDeletionAsync(Blob));

        Assert.Null(await LinkAndEndAsync(B, session.Id, 0));

        Assert.Equal(session, await A.GetUploadSessionAsync(session.Id));
        Assert.False(await Metadata(A).IsBlobLinkedAsync(Repository, Blob));

        await Metadata(A).EndBlobDeletionAsync(Blob);

        Assert.Equal(UploadCommitStatus.Committed, await LinkAndEndAsync(B, session.Id, 0));

        Assert.Null(await A.GetUploadSessionAsync(session.Id));
        Assert.True(await Metadata(A).IsBlobLinkedAsync(Repository, Blob));
    }

    [Fact]
    public async Task AFinishedUpload_WhoseSessionDoesNotEnd_KeepsItsLink_AndTheSessionAsItWas()
    {
        var session = await CreateAsync(A);
        Assert.Equal(UploadWriteStatus.Opened, await A.LeaseUploadSessionAsync(session.Id, 0, "a", Lease));

        Assert.Equal(UploadCommitStatus.Busy, await LinkAndEndAsync(B, session.Id, 0));
        Assert.True(await Metadata(A).IsBlobLinkedAsync(Repository, Blob));
        Assert.True(await A.AdvanceUploadSessionAsync(session.Id, "a", 0, 10));

        Assert.Equal(UploadCommitStatus.LengthMismatch, await LinkAndEndAsync(B, session.Id, 0));
        Assert.Equal(10, (await A.GetUploadSessionAsync(session.Id))!.Length);
        Assert.Equal(UploadCommitStatus.Unknown, await LinkAndEndAsync(B, Guid.NewGuid().ToString("N"), 0));

        Assert.Equal(UploadCommitStatus.Committed, await LinkAndEndAsync(B, session.Id, 10));
        Assert.Equal(UploadCommitStatus.Unknown, await LinkAndEndAsync(A, session.Id, 10));
        Assert.True(await Metadata(A).IsBlobLinkedAsync(Repository, Blob));
    }

    [Fact]
    public async Task AReadAndLease_LeasesALiveSessionOfTheRepository_AtItsLength_AndReturnsItAsFound()
    {
        var session = await CreateAsync(A);

        Assert.Equal((session, UploadWriteStatus.Opened), await ReadAndLeaseAsync(B, session.Id, offset: null, "b"));
        Assert.Equal(UploadWriteStatus.Busy, await A.LeaseUploadSessionAsync(session.Id, 0, "a", Lease));
        Assert.True(await B.AdvanceUploadSessionAsync(session.Id, "b", 0, 10));

        Assert.Equal((session with { Length = 10 }, UploadWriteStatus.Opened), await ReadAndLeaseAsync(A, session.Id, offset: 10, "a"));
        Assert.True(await A.AdvanceUploadSessionAsync(session.Id, "a", 10, 15));
        Assert.Equal(15, (await B.GetUploadSessionAsync(session.Id))!.Length);
    }

    [Fact]
    public async Task AReadAndLease_IsRefused_AtAnotherOffset_WhileAnotherLeaseIsLive_AndTakesAnExpiredOneOver()
    {
        var session = await CreateAsync(A);

        Assert.Equal((session, UploadWriteStatus.OffsetMismatch), await ReadAndLeaseAsync(A, session.Id, offset: 3, "a"));
        Assert.Equal(UploadWriteStatus.Opened, await A.LeaseUploadSessionAsync(session.Id, 0, "a", Lease));
        Assert.Equal((session, UploadWriteStatus.Busy), await ReadAndLeaseAsync(B, session.Id, offset: null, "b"));
        Assert.Equal((session, UploadWriteStatus.Busy), await ReadAndLeaseAsync(B, session.Id, offset: 0, "b"));
        Assert.True(await A.AdvanceUploadSessionAsync(session.Id, "a", 0, 10));
        Assert.Equal(UploadWriteStatus.Opened, await A.LeaseUploadSessionAsync(session.Id, 10, "crashed", Lease));
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));

        Assert.Equal((session with { Length = 10 }, UploadWriteStatus.Opened), await ReadAndLeaseAsync(B, session.Id, offset: 10, "b"));
        Assert.False(await A.AdvanceUploadSessionAsync(session.Id, "crashed", 10, 20));
        Assert.True(await B.AdvanceUploadSessionAsync(session.Id, "b", 10, 12));
    }

    [Fact]
    public async Task AReadAndLease_FindsNoSession_OfAnotherRepository_StartedTooLongAgo_OrEnded_AndChangesNothing()
    {
        var session = await CreateAsync(A);

        Assert.Equal((null, UploadWriteStatus.Unknown), await ReadAndLeaseAsync(B, Guid.NewGuid().ToString("N"), offset: null, "b"));
        Assert.Equal((null, UploadWriteStatus.Unknown), await B.LeaseLiveUploadSessionAsync(session.Id, RepositoryName.Parse("other/app"), Clock.GetUtcNow(), null, "b", Lease));
        Assert.Equal((null, UploadWriteStatus.Unknown), await B.LeaseLiveUploadSessionAsync(session.Id, Repository, Clock.GetUtcNow().AddSeconds(1), null, "b", Lease));
        Assert.Equal(UploadWriteStatus.Opened, await A.LeaseUploadSessionAsync(session.Id, 0, "a", Lease));
        Assert.True(await A.AdvanceUploadSessionAsync(session.Id, "a", 0, 10));
        Assert.Equal(UploadCommitStatus.Committed, await A.EndUploadSessionAsync(session.Id, null));

        Assert.Equal((null, UploadWriteStatus.Unknown), await ReadAndLeaseAsync(B, session.Id, offset: 10, "b"));
    }

    // Each store keeps its links too (every metadata backend is both), as the registry wires them.
    private static IMetadataStore Metadata(IUploadSessionStore store) => (IMetadataStore)store;

    private static async Task<UploadCommitStatus?> LinkAndEndAsync(IUploadSessionStore store, string id, long length) =>
        await store.LinkBlobAndEndUploadSessionAsync(Metadata(store), Repository, Blob, 10, id, length);

    // The read and lease of a PATCH on a session started at the contract's clock (live while started since then).
    private async Task<(UploadSession? Session, UploadWriteStatus Status)> ReadAndLeaseAsync(IUploadSessionStore store, string id, long? offset, string owner) =>
        await store.LeaseLiveUploadSessionAsync(id, Repository, Clock.GetUtcNow() - TimeSpan.FromHours(1), offset, owner, Lease);

    private async Task<UploadSession> CreateAsync(IUploadSessionStore store)
    {
        var session = new UploadSession(Guid.NewGuid().ToString("N"), Repository, Clock.GetUtcNow(), 0);
        await store.CreateUploadSessionAsync(session);
        return session;
    }
}
