using System.Collections.Concurrent;
using System.Reflection;
using OciRegistry.Core.Storage;

namespace OciRegistry.AspNetCore.Ui.Tests;

/// <summary>A metadata store that passes every call through and remembers which methods were called.</summary>
public class RecordingMetadataStore : DispatchProxy
{
    private IMetadataStore _inner = null!;

    public ConcurrentQueue<string> Calls { get; } = new();

    public static (IMetadataStore Store, RecordingMetadataStore Recorder) Wrap(IMetadataStore inner)
    {
        var store = Create<IMetadataStore, RecordingMetadataStore>();
        var recorder = (RecordingMetadataStore)(object)store;
        recorder._inner = inner;
        return (store, recorder);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        Calls.Enqueue(targetMethod.Name);
        return targetMethod.Invoke(_inner, args);
    }
}
