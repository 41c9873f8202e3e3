using OciRegistry.Core.References;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Storage;
using OciRegistry.Testing;

namespace OciRegistry.Benchmarks.Ui;

/// <summary>
/// The web interface's list pages at scale: 100,000 repositories and one repository with 10,000 tags, in the
/// in-memory store, each page fetched whole over loopback HTTP (server render + transfer). Target: under 50 ms each.
/// The pages read the store's keyset pages and aggregates only: no blob is opened or stat'ed and no repository's tags,
/// manifests or links are listed whole (ListingReadsTests in OciRegistry.AspNetCore.Ui.Tests proves it).
/// </summary>
[MemoryDiagnoser]
public class UiPageBenchmarks
{
    private const int Repositories = 100_000;
    private const int Tags = 10_000;

    private InProcessRegistry _registry = null!;
    private string _newestSecondPage = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _registry = await InProcessRegistry.StartAsync(o =>
        {
            o.Services = services => services.AddOciRegistryUi();
            o.App = app => app.MapOciRegistryUi("/ui");
        });
        var blobs = _registry.Services.GetRequiredService<IBlobStore>();
        var metadata = _registry.Services.GetRequiredService<IMetadataStore>();
        var layer = await PutBlobAsync(blobs, new byte[4096]);
        for (var i = 0; i < Repositories; i++)
        {
            var repository = $"team-{i % 100:D2}/app-{i:D6}";
            await metadata.LinkBlobAsync(RepositoryName.Parse(repository), layer);
            await metadata.PutManifestAsync(RepositoryName.Parse(repository), Manifest(i), ManifestReferences.None, "latest");
        }

        for (var i = 0; i < Tags; i++)
        {
            await metadata.PutManifestAsync(RepositoryName.Parse("big/app"), Manifest(Repositories + i), ManifestReferences.None, $"1.{i}");
        }

        // The "next" link of the newest-first list carries the keyset cursor (time and name of the last row shown).
        var first = await _registry.Client.GetStringAsync(new Uri("/ui/tags?repository=big%2Fapp&order=newest", UriKind.Relative));
        _newestSecondPage = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(first, "rel=\"next\" href=\"([^\"]+)\"").Groups[1].Value);
    }

    [GlobalCleanup]
    public Task CleanupAsync() => _registry.DisposeAsync().AsTask();

    /// <summary>The first page of the repository list (50 rows).</summary>
    [Benchmark]
    public Task RepositoryList_FirstPage() => GetAsync("/ui");

    /// <summary>A page in the middle, by keyset cursor.</summary>
    [Benchmark]
    public Task RepositoryList_PageAfter50000() => GetAsync("/ui?after=team-50%2Fapp-050050");

    /// <summary>A substring search that matches 1,000 repositories (first page shown).</summary>
    [Benchmark]
    public Task RepositoryList_Search() => GetAsync("/ui?q=team-42%2F");

    /// <summary>A substring search whose one match is the last name: the store passes over all 100,000.</summary>
    [Benchmark]
    public Task RepositoryList_SearchRare() => GetAsync("/ui?q=app-099999");

    /// <summary>The first page of 10,000 tags, by name.</summary>
    [Benchmark]
    public Task TagList_ByName() => GetAsync("/ui/tags?repository=big%2Fapp");

    /// <summary>The second page of 10,000 tags newest first, by keyset cursor.</summary>
    [Benchmark]
    public Task TagList_NewestSecondPage() => GetAsync(_newestSecondPage);

    /// <summary>The first page of the tags containing "99" (280 of 10,000), by name.</summary>
    [Benchmark]
    public Task TagList_Filtered() => GetAsync("/ui/tags?repository=big%2Fapp&filter=99");

    private async Task GetAsync(string page)
    {
        using var response = await _registry.Client.GetAsync(new Uri(page, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        await response.Content.CopyToAsync(Stream.Null);
    }

    private static ManifestRecord Manifest(int seed) =>
        new(DigestHasher.Compute(BitConverter.GetBytes(seed)), "application/vnd.oci.image.manifest.v1+json", 500) { ReferencedSize = 4096 + 300 };

    private static async Task<Digest> PutBlobAsync(IBlobStore blobs, byte[] content)
    {
        var digest = DigestHasher.Compute(content);
        await blobs.PutAsync(digest, content);
        return digest;
    }
}
