using BenchmarkDotNet.Running;
using OciRegistry.Benchmarks.ObjectStorage;

if (args is ["azure-sdk-bound", .. var bound])
{
    return await AzureSdkBound.RunAsync(bound);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

/// <summary>The benchmark runner's entry point; public so <c>typeof(Program)</c> names this assembly.</summary>
public partial class Program;
