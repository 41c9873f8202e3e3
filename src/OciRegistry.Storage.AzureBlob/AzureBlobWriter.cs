using System.Buffers;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using OciRegistry.Core.Storage;

namespace OciRegistry.Storage.AzureBlob;

/// <summary>
/// Writes a blob whose digest is known up front straight to <c>blobs/&lt;digest&gt;</c>: blocks are staged on that
/// blob as they fill (<see cref="BlockStager"/>), and the commit is one Put Block List, or, for content that fits in one
/// block, one Put Blob of the buffered bytes. Staged blocks are invisible
/// until committed, so nothing unverified ever shows under the digest; a writer disposed without committing leaves only
/// uncommitted blocks, which Azure discards with the next commit of that name or after a week.
/// </summary>
/// <remarks>
/// Block ids carry this writer's random id, so two identical pushes never stage a block of the same id. The first of
/// them to commit discards the other's staged blocks, whose commit then fails: the blob is there, verified by the first,
/// and counts as committed when its length is this writer's.
/// </remarks>
internal sealed class AzureBlobWriter : IBlobWriter
{
    private readonly BlockBlobClient _blob;
    private readonly Func<Task> _endSession;
    private readonly Action<long> _committed;
    private readonly BlockStager _stager;
    private bool _closed;

    /// <param name="blob">The blob's final place.</param>
    /// <param name="endSession">Ends the upload session the bytes came in, alongside the commit.</param>
    /// <param name="committed">Told the blob's length once it is committed.</param>
    public AzureBlobWriter(BlockBlobClient blob, Func<Task> endSession, Action<long> committed)
    {
        _blob = blob;
        _endSession = endSession;
        _committed = committed;
        _stager = new BlockStager(0, (id, bytes, token) => blob.StageBlockAsync(id, BlockStager.Content(bytes), cancellationToken: token));
    }

    /// <inheritdoc />
    public long Length => _stager.Length;

    /// <inheritdoc />
    public ValueTask WriteAsync(ReadOnlySequence<byte> data, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        return _stager.WriteAsync(data, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>The session's staging blob is deleted while the blob is committed: the caller ended its row already.</remarks>
    public async ValueTask<UploadCommitStatus> CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        var endSession = _endSession();
        try
        {
            if (_stager.Blocks.Count == 0)
            {
                await _blob.UploadAsync(BlockStager.Content(_stager.Buffered), new BlobUploadOptions(), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _stager.FlushAsync(cancellationToken).ConfigureAwait(false);
                await CommitBlocksAsync(cancellationToken).ConfigureAwait(false);
            }

            _committed(Length);
        }
        finally
        {
            await endSession.ConfigureAwait(false);
            await DisposeAsync().ConfigureAwait(false);
        }

        return UploadCommitStatus.Committed;
    }

    /// <summary>Waits for the blocks in flight and returns the buffers; what was staged and not committed stays invisible.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        await _stager.DisposeAsync().ConfigureAwait(false);
    }

    private async Task CommitBlocksAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _blob.CommitBlockListAsync(_stager.Blocks.Select(block => block.Id), new CommitBlockListOptions(), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 400)
        {
            // An identical push committed first and discarded these blocks; its copy, verified too, is the blob.
            var existing = await _blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (existing.Value.ContentLength != Length)
            {
                throw;
            }
        }
    }
}
