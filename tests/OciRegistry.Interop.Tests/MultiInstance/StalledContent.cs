using System.Net;

namespace OciRegistry.Interop.Tests.MultiInstance;

/// <summary>
/// A request body that sends its first bytes, then stalls until the request is cancelled, while declaring a longer
/// length: the server sits in the middle of the upload, holding its writer lease.
/// </summary>
internal sealed class StalledContent(byte[] first, long declaredLength) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(first, cancellationToken);
        await stream.FlushAsync(cancellationToken);
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = declaredLength;
        return true;
    }
}
