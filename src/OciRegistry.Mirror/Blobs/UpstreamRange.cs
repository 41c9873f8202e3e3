using System.Net;
using OciRegistry.Core.Digests;
using OciRegistry.Mirror.Upstreams;

namespace OciRegistry.Mirror.Blobs;

/// <summary>
/// A blob's bytes from an offset to its end, read straight from the upstream with a <c>Range</c> request: what a client's
/// range far ahead of the fill in progress is served from. These bytes are passed on as the upstream sends them; the
/// digest covers only the whole blob, which the fill checks before anything is stored.
/// </summary>
internal sealed class UpstreamRange : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly Stream _body;
    private readonly UpstreamClient _client;

    private UpstreamRange(HttpResponseMessage response, Stream body, UpstreamClient client, long offset)
    {
        _response = response;
        _body = body;
        _client = client;
        Position = offset;
    }

    /// <summary>The blob offset of the next byte <see cref="ReadAsync"/> returns.</summary>
    public long Position { get; private set; }

    /// <summary>
    /// The bytes of the blob from <paramref name="offset"/> on; null when the upstream cannot be reached or did not
    /// answer with exactly that range (the client then waits for the fill).
    /// </summary>
    public static async Task<UpstreamRange?> OpenAsync(UpstreamClient client, string repository, Digest digest, long offset, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await client.GetBlobRangeAsync(repository, digest, offset, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return null;
        }

        try
        {
            if (response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From == offset)
            {
                var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                return new UpstreamRange(response, body, client, offset);
            }
        }
        catch
        {
            response.Dispose();
            throw;
        }

        response.Dispose();
        return null;
    }

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = await _body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Position += read;
        _client.CountBlobBytes(read);
        return read;
    }

    public async ValueTask DisposeAsync()
    {
        await _body.DisposeAsync().ConfigureAwait(false);
        _response.Dispose();
    }
}
