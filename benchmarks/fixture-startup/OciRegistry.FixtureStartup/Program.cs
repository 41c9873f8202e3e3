using System.Diagnostics;
using System.Runtime;
using OciRegistry.Testing;

// Start a registry, get the first 200 from GET /v2/, stop it: first in this fresh process, then 200 times warm.
// Prints, on one line: the first start's wall time and the CPU time this process spent meanwhile (all threads: on a
// busy machine the wall time waits for cores, the CPU time much less), the JIT time and methods compiled during it,
// and the warm median.
var transport = Enum.Parse<RegistryTransport>(args[0], ignoreCase: true);
var jitBefore = JitInfo.GetCompilationTime();
var methodsBefore = JitInfo.GetCompiledMethodCount();
var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
var first = await StartToFirst200Async(transport);
var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
var jit = JitInfo.GetCompilationTime() - jitBefore;
var methods = JitInfo.GetCompiledMethodCount() - methodsBefore;

var warm = new double[200];
for (var i = 0; i < warm.Length; i++)
{
    warm[i] = await StartToFirst200Async(transport);
}

Array.Sort(warm);
Console.WriteLine(FormattableString.Invariant(
    $"first_ms={first:F1} first_cpu_ms={cpu.TotalMilliseconds:F0} first_jit_ms={jit.TotalMilliseconds:F1} first_jit_methods={methods} warm_median_ms={warm[warm.Length / 2]:F3}"));

static async Task<double> StartToFirst200Async(RegistryTransport transport)
{
    var started = Stopwatch.GetTimestamp();
    await using var registry = await InProcessRegistry.StartAsync(o => o.Transport = transport);
    using var response = await registry.Client.GetAsync(new Uri("v2/", UriKind.Relative));
    response.EnsureSuccessStatusCode();
    return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
