using OciRegistry.Mirror.Eviction;

namespace OciRegistry.Mirror.Tests.Eviction;

/// <summary>Eviction is off by default, and each bad setting is one message naming its key.</summary>
public sealed class EvictionOptionsTests
{
    [Fact]
    public void Defaults_AreValid_AndEvictNothing()
    {
        var options = new MirrorOptions();

        Assert.Empty(options.Validate());
        Assert.False(options.Eviction.IsEnabled);
    }

    public static TheoryData<string, Action<EvictionOptions>> BadSettings => new()
    {
        { "MaxAge", e => e.MaxAge = TimeSpan.Zero },
        { "MaxBytes", e => e.MaxBytes = -1 },
        { "Interval", e => e.Interval = TimeSpan.FromSeconds(-1) },
        { "Interval", e => e.Interval = TimeSpan.FromDays(50) },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void ABadSetting_IsReportedByItsKey(string key, Action<EvictionOptions> spoil)
    {
        var options = new MirrorOptions();
        spoil(options.Eviction);

        var problem = Assert.Single(options.Validate());
        Assert.StartsWith($"OciRegistry:Mirror:Eviction:{key} ", problem, StringComparison.Ordinal);
    }
}
