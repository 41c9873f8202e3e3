using BenchmarkDotNet.Running;
using OciRegistry.Benchmarks.Mirror;
using OciRegistry.Benchmarks.ObjectStorage;

if (args is ["azure-sdk-bound", .. var bound])
{
    return await AzureSdkBound.RunAsync(bound);
}

if (args is ["mirror-relay-bound", .. var relay])
{
    return await RelayBound.RunAsync(relay);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

/// <summary>The benchmark runner's entry point; public so <c>typeof(Program)</c> names this assembly.</summary>
public partial class Program;
