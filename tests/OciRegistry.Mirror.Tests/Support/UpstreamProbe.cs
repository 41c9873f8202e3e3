using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OciRegistry.Mirror.Tests.Support;

/// <summary>
/// Middleware in front of an upstream registry: counts requests by method and path, can hold back the body of one
/// blob after its first bytes until the test opens a gate, can corrupt one blob's bytes on the way out, can refuse
/// the referrers API, and can rate-limit everything.
/// </summary>
internal sealed class UpstreamProbe
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>
    /// A blob path suffix (<c>/blobs/sha256:…</c>) whose body stops after <see cref="GateAfterBytes"/> until <see cref="Gate"/>
    /// completes; ranged GETs of it are answered in full.
    /// </summary>
    public string? GatedBlob { get; set; }

    /// <summary>4 MiB: several of the mirror's 1 MiB fill reads, so the bytes before the gate reach its clients.</summary>
    public long GateAfterBytes { get; set; } = 4 * 1024 * 1024;

    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A blob path suffix whose body is sent with one byte flipped.</summary>
    public string? CorruptBlob { get; set; }

    /// <summary>Answer 404 to the referrers API, as registries without it (Distribution 2.8) do.</summary>
    public bool RefuseReferrersApi { get; set; }

    /// <summary>Answer every request with 429, as a rate-limiting registry (Docker Hub) does.</summary>
    public bool RateLimited { get; set; }

    public int Count(string method, string pathSuffix) =>
        _counts.Where(p => p.Key.StartsWith(method + " ", StringComparison.Ordinal) && p.Key.EndsWith(pathSuffix, StringComparison.Ordinal)).Sum(p => p.Value);

    public void Install(WebApplication app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path.Value ?? "";
        _counts.AddOrUpdate($"{context.Request.Method} {path}", 1, (_, n) => n + 1);
        var isGet = HttpMethods.IsGet(context.Request.Method);
        if (RefuseReferrersApi && path.Contains("/referrers/", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (RateLimited)
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return;
        }

        if (isGet && GatedBlob is { } gated && path.EndsWith(gated, StringComparison.Ordinal) && context.Request.Headers.Range.Count == 0)
        {
            context.Response.Body = new TamperingStream(context.Response.Body, GateAfterBytes, Gate.Task, flipAt: null);
        }
        else if (isGet && CorruptBlob is { } corrupt && path.EndsWith(corrupt, StringComparison.Ordinal))
        {
            context.Response.Body = new TamperingStream(context.Response.Body, long.MaxValue, Task.CompletedTask, flipAt: 0);
        }

        await next(context);
    });

    private sealed class TamperingStream(Stream inner, long gateAfter, Task gate, long? flipAt) : Stream
    {
        private long _sent;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _sent; set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (flipAt is { } at && at >= _sent && at < _sent + buffer.Length)
            {
                var copy = buffer.ToArray();
                copy[at - _sent] ^= 0xFF;
                buffer = copy;
            }

            if (_sent < gateAfter && _sent + buffer.Length > gateAfter)
            {
                var head = (int)(gateAfter - _sent);
                await inner.WriteAsync(buffer[..head], cancellationToken);
                await inner.FlushAsync(cancellationToken);
                _sent += head;
                buffer = buffer[head..];
            }

            if (_sent >= gateAfter)
            {
                await gate.WaitAsync(cancellationToken);
            }

            await inner.WriteAsync(buffer, cancellationToken);
            _sent += buffer.Length;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
