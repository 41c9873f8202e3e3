using Azure.Core;
using Azure.Core.Pipeline;

namespace OciRegistry.Storage.Tests.AzureBlob;

/// <summary>Counts the requests a blob client sends (a pipeline policy added per call).</summary>
internal sealed class RequestCounter : HttpPipelineSynchronousPolicy
{
    private int _gets;
    private int _all;

    public int Gets => Volatile.Read(ref _gets);

    public int All => Volatile.Read(ref _all);

    public override void OnSendingRequest(HttpMessage message)
    {
        Interlocked.Increment(ref _all);
        if (message.Request.Method == RequestMethod.Get)
        {
            Interlocked.Increment(ref _gets);
        }
    }
}
