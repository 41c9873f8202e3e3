using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

/// <summary>The benchmark runner's entry point; public so <c>typeof(Program)</c> names this assembly.</summary>
public partial class Program;
