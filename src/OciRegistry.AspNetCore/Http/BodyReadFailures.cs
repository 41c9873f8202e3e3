using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace OciRegistry.AspNetCore.Http;

/// <summary>
/// Makes a request body that cannot be read a bad request. Kestrel reports most broken framing as
/// <see cref="BadHttpRequestException"/>, but some as a bare <see cref="IOException"/> (a chunk size of
/// <c>ffffffffffffffffff</c> overflows into "Bad chunk size data"), which would end as a 500 and an error-level stack
/// trace. Every read of the body goes through this reader, so those become <see cref="BadHttpRequestException"/> (400)
/// where the body is read, and errors of the store, read later, stay what they are.
/// </summary>
internal sealed class BodyReadFailures(PipeReader inner) : PipeReader, IRequestBodyPipeFeature
{
    /// <summary>Routes the request's <see cref="HttpRequest.BodyReader"/> through this reader.</summary>
    public static void Install(HttpContext context) =>
        context.Features.Set<IRequestBodyPipeFeature>(new BodyReadFailures(context.Request.BodyReader));

    PipeReader IRequestBodyPipeFeature.Reader => this;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        ValueTask<ReadResult> read;
        try
        {
            read = inner.ReadAsync(cancellationToken);
        }
        catch (IOException e) when (e is not BadHttpRequestException)
        {
            throw BadRequest(e);
        }

        return read.IsCompletedSuccessfully ? read : AwaitAsync(read);
    }

    public override bool TryRead(out ReadResult result)
    {
        try
        {
            return inner.TryRead(out result);
        }
        catch (IOException e) when (e is not BadHttpRequestException)
        {
            throw BadRequest(e);
        }
    }

    public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    // Pooled: a large push awaits here once per received block, and must not allocate per block.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<ReadResult> AwaitAsync(ValueTask<ReadResult> read)
    {
        try
        {
            return await read.ConfigureAwait(false);
        }
        catch (IOException e) when (e is not BadHttpRequestException)
        {
            throw BadRequest(e);
        }
    }

    private static BadHttpRequestException BadRequest(IOException e) => new(e.Message, StatusCodes.Status400BadRequest, e);
}
