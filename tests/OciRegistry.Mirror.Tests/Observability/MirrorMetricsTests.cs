using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.Core.Observability;
using OciRegistry.Mirror.Blobs;
using OciRegistry.Mirror.Tests.Support;

namespace OciRegistry.Mirror.Tests.Observability;

/// <summary>The mirror's instruments count what happened: misses fetched, hits answered from the cache, bytes from the upstream, stale serves.</summary>
public sealed class MirrorMetricsTests
{
    private static readonly byte[] Layer = "layer counted by the mirror's metrics"u8.ToArray();

    [Fact]
    public async Task APullThenARepeat_CountMissesHitsBytesAndAStaleServe()
    {
        await using var setup = await MirrorSetup.StartAsync(m => m.TagCheckInterval = TimeSpan.FromHours(1));
        var image = await setup.Upstream.Seeder.PushImageAsync("team/app", "1.0", [Layer]);
        using var measured = new Measurements(setup.Mirror.Services.GetRequiredService<RegistryMetrics>().Meter);

        using (await setup.Mirror.Client.GetAsync("/v2/up/team/app/manifests/1.0"))
        {
        }

        using (await setup.Mirror.Client.GetAsync("/v2/up/team/app/manifests/1.0"))
        {
        }

        await setup.Mirror.Client.GetByteArrayAsync($"/v2/up/team/app/blobs/{image.LayerDigests[0]}");
        await setup.Mirror.Services.GetRequiredService<BlobFills>().CompletionOf(image.LayerDigests[0]);

        Assert.Equal(1, measured.Sum("ociregistry.mirror.misses", "kind", "manifest"));
        Assert.Equal(1, measured.Sum("ociregistry.mirror.misses", "kind", "blob"));
        Assert.Equal(1, measured.Sum("ociregistry.mirror.hits"));
        Assert.True(measured.Sum("ociregistry.mirror.upstream.bytes") >= Layer.Length);
        Assert.Equal(0, measured.Sum("ociregistry.mirror.stale_serves"));
    }

    private sealed class Measurements : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Name, long Value, KeyValuePair<string, object?>[] Tags)> _seen = new();

        public Measurements(Meter meter)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter) && instrument.Name.StartsWith("ociregistry.mirror.", StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _seen.Enqueue((instrument.Name, value, tags.ToArray())));
            _listener.Start();
        }

        public long Sum(string name, string? tag = null, string? value = null) =>
            _seen.Where(m => m.Name == name && (tag is null || m.Tags.Any(t => t.Key == tag && Equals(t.Value, value)))).Sum(m => m.Value);

        public void Dispose() => _listener.Dispose();
    }
}
