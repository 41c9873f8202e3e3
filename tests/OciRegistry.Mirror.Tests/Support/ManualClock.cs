namespace OciRegistry.Mirror.Tests.Support;

/// <summary>
/// A clock the test moves by hand, starting now (blob files carry real times). Only the time read moves: timers stay
/// the system's, so the host's own timeouts behave as usual.
/// </summary>
internal sealed class ManualClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
