using System.Net;
using FsCheck;
using FsCheck.Fluent;
using OciRegistry.AspNetCore.Tests.Support;
using OciRegistry.Testing;

namespace OciRegistry.AspNetCore.Tests.Blobs;

public sealed class BlobRangePropertyTests : IAsyncLifetime
{
    private static readonly byte[] Content = Enumerable.Range(0, 4096).Select(i => (byte)(i * 31 % 251)).ToArray();
    private InProcessRegistry? _registry;
    private string _digest = "";

    public async Task InitializeAsync()
    {
        _registry = await Registries.StartAsync(fileSystem: true);
        _digest = await Registries.ClientOf(_registry).PushBlobAsync("ranges", Content);
    }

    public async Task DisposeAsync() => await _registry!.DisposeAsync();

    [Fact]
    public void AnyValidRange_ReadOverHttp_EqualsTheSlice()
    {
        var ranges =
            from start in Gen.Choose(0, Content.Length - 1)
            from length in Gen.Choose(1, Content.Length)
            from form in Gen.Choose(0, 2)
            select (Start: start, Length: length, Form: form);
        Prop.ForAll(ranges.ToArbitrary(), range =>
        {
            var (header, first, count) = range.Form switch
            {
                0 => ($"bytes={range.Start}-{range.Start + range.Length - 1}", range.Start, Math.Min(range.Length, Content.Length - range.Start)),
                1 => ($"bytes={range.Start}-", range.Start, Content.Length - range.Start),
                _ => ($"bytes=-{range.Length}", Content.Length - range.Length, range.Length),
            };
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/ranges/blobs/{_digest}");
            request.Headers.TryAddWithoutValidation("Range", header);
            using var response = _registry!.Client.Send(request);
            var body = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
            return response.StatusCode == HttpStatusCode.PartialContent
                && body.AsSpan().SequenceEqual(Content.AsSpan(first, count))
                && response.Content.Headers.ContentRange!.From == first
                && response.Content.Headers.ContentRange.To == first + count - 1;
        }).QuickCheckThrowOnFailure();
    }
}
