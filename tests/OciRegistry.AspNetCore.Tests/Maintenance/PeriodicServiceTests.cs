using OciRegistry.AspNetCore.Maintenance;

namespace OciRegistry.AspNetCore.Tests.Maintenance;

public sealed class PeriodicServiceTests
{
    [Fact]
    public async Task Stopping_EndsTheLoopQuietly()
    {
        using var service = new Idle();
        await service.StartAsync(CancellationToken.None);
        await service.Running.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await service.StopAsync(CancellationToken.None);

        Assert.True(service.ExecuteTask!.IsCompletedSuccessfully);
        Assert.Equal(0, service.Failures);
    }

    [Fact]
    public async Task DisposalWithoutStop_AsAfterAFailedHostStart_EndsTheLoopQuietly()
    {
        // A host whose start fails (say, the port is taken) is disposed without StopAsync; a canceled ExecuteTask
        // would then be logged by the host as a crashed background service, stack trace and all.
        var service = new Idle();
        await service.StartAsync(CancellationToken.None);
        await service.Running.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var loop = service.ExecuteTask!;

        service.Dispose();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(loop.IsCompletedSuccessfully);
        Assert.Equal(0, service.Failures);
    }

    private sealed class Idle() : PeriodicService(TimeProvider.System)
    {
        public int Failures { get; private set; }

        // Set once ExecuteAsync runs: BackgroundService starts it on the thread pool, and a token canceled before then
        // cancels the task without running the loop at all, which is not what these tests are about.
        public TaskCompletionSource Running { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override TimeSpan? Interval
        {
            get
            {
                Running.TrySetResult();
                return TimeSpan.FromHours(1);
            }
        }

        protected override Task RunOnceAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        protected override void ReportFailure(Exception exception) => Failures++;
    }
}
