using System.Net;
using FsCheck;
using FsCheck.Fluent;
using OciRegistry.AspNetCore.Tests.Support;
using OciRegistry.Testing;

namespace OciRegistry.AspNetCore.Tests.Uploads;

public sealed class ChunkingPropertyTests : IAsyncLifetime
{
    private InProcessRegistry? _registry;

    public async Task InitializeAsync() => _registry = await Registries.StartAsync();

    public async Task DisposeAsync() => await _registry!.DisposeAsync();

    [Fact]
    public void AnyChunking_GivesTheSameDigestAsOneShot()
    {
        var cases =
            from content in ArbMap.Default.GeneratorFor<byte[]>()
            from cuts in Gen.ListOf(Gen.Choose(0, Math.Max(content.Length, 1)))
            select (Content: content, Cuts: cuts.Distinct().Where(c => c > 0 && c < content.Length).Order().ToArray());
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var bounds = c.Cuts.Prepend(0).Append(c.Content.Length).ToArray();
            var sizes = bounds.Zip(bounds.Skip(1), (a, b) => b - a).Where(s => s > 0).ToArray();
            var client = Registries.ClientOf(_registry!);
            using var response = client.PushChunkedAsync("chunks", c.Content, sizes).GetAwaiter().GetResult();
            var expected = RegistryClient.DigestOf(c.Content);
            using var get = _registry!.Client.GetAsync($"/v2/chunks/blobs/{expected}").GetAwaiter().GetResult();
            return response.StatusCode == HttpStatusCode.Created
                && response.Headers.GetValues("Docker-Content-Digest").Single() == expected
                && get.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult().AsSpan().SequenceEqual(c.Content);
        }).QuickCheckThrowOnFailure();
    }
}
