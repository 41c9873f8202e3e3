using OciRegistry.Core.References;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OciRegistry.Testing;

namespace OciRegistry.Benchmarks.Ui;

/// <summary>
/// The web interface's list pages at scale: 100,000 repositories and one repository with 10,000 tags
/// (<see cref="UiBenchmarkData"/>), in each metadata store, each page fetched whole over loopback HTTP (server render +
/// transfer). Target: under 50 ms each. The pages read the store's keyset pages and aggregates only: no blob is opened
/// or stat'ed and no repository's tags, manifests or links are listed whole (ListingReadsTests in
/// OciRegistry.AspNetCore.Ui.Tests proves it).
/// </summary>
[MemoryDiagnoser]
public class UiPageBenchmarks
{
    private UiBenchmarkData _data = null!;
    private InProcessRegistry _registry = null!;
    private string _newestSecondPage = null!;

    /// <summary>The metadata store measured.</summary>
    [Params(UiBenchmarkBackend.InMemory, UiBenchmarkBackend.Sqlite, UiBenchmarkBackend.PostgreSql)]
    public UiBenchmarkBackend Backend { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _data = await UiBenchmarkData.CreateAsync(Backend);
        _registry = await InProcessRegistry.StartAsync(o =>
        {
            o.Services = services =>
            {
                services.AddOciRegistryUi();
                services.Replace(ServiceDescriptor.Singleton(_data.Store));
            };
            o.App = app => app.MapOciRegistryUi("/ui");
        });

        // The "next" link of the newest-first list carries the keyset cursor (time and name of the last row shown).
        var first = await _registry.Client.GetStringAsync(new Uri("/ui/tags?repository=big%2Fapp&order=newest", UriKind.Relative));
        _newestSecondPage = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(first, "rel=\"next\" href=\"([^\"]+)\"").Groups[1].Value);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _registry.DisposeAsync();
        await _data.DisposeAsync();
    }

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
}
