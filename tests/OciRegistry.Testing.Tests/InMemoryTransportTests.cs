using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace OciRegistry.Testing.Tests;

public sealed class InMemoryTransportTests
{
    [Fact]
    public async Task Answers_BaseEndpoint_ThroughItsClient_WithoutASocket()
    {
        await using var registry = await InProcessRegistry.StartAsync(o => o.Transport = RegistryTransport.InMemory);

        using var response = await registry.Client.GetAsync(new Uri("v2/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(RegistryTransport.InMemory, registry.Transport);
        Assert.IsType<TestServer>(registry.Services.GetRequiredService<IServer>());
        Assert.Equal(new Uri("http://localhost/"), registry.BaseAddress);
    }

    [Fact]
    public async Task HostPort_Throws_SayingToStartOnKestrelForExternalTools()
    {
        await using var registry = await InProcessRegistry.StartAsync(o => o.Transport = RegistryTransport.InMemory);

        var error = Assert.Throws<InvalidOperationException>(() => registry.HostPort);

        Assert.Contains("RegistryTransport.InMemory", error.Message, StringComparison.Ordinal);
        Assert.Contains("RegistryTransport.Kestrel", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_ManyRegistriesAtOnce_EachWithItsOwnData()
    {
        await using var first = await InProcessRegistry.StartAsync(o => o.Transport = RegistryTransport.InMemory);
        await using var second = await InProcessRegistry.StartAsync(o => o.Transport = RegistryTransport.InMemory);

        var digest = await first.Seeder.PushBlobAsync("isolated/app", "only in the first"u8.ToArray());

        using var found = await first.Client.GetAsync(new Uri($"v2/isolated/app/blobs/{digest}", UriKind.Relative));
        using var missing = await second.Client.GetAsync(new Uri($"v2/isolated/app/blobs/{digest}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task UseFileSystem_StoresBlobsInItsFolder_AndDeletesTheFolderOnDispose()
    {
        var registry = await InProcessRegistry.StartAsync(o =>
        {
            o.Transport = RegistryTransport.InMemory;
            o.UseFileSystem = true;
        });
        var folder = registry.DataFolder;
        Assert.NotNull(folder);

        var content = "kept on disk, served in memory"u8.ToArray();
        var digest = await registry.Seeder.PushBlobAsync("disk/app", content);
        Assert.Contains(
            Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories),
            file => file.Contains(digest.EncodedString, StringComparison.Ordinal) && File.ReadAllBytes(file).AsSpan().SequenceEqual(content));

        await registry.DisposeAsync();

        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task Applies_RegistryOptions_AndTheAppHook()
    {
        await using var registry = await InProcessRegistry.StartAsync(o =>
        {
            o.Transport = RegistryTransport.InMemory;
            o.Registry = rules => rules.DeletesEnabled = false;
            o.App = app => app.Use((HttpContext context, RequestDelegate next) =>
            {
                context.Response.Headers["X-Hooked"] = "yes";
                return next(context);
            });
        });
        var digest = await registry.Seeder.PushBlobAsync("rules/app", "cannot delete"u8.ToArray());

        using var response = await registry.Client.DeleteAsync(new Uri($"v2/rules/app/blobs/{digest}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("yes", response.Headers.GetValues("X-Hooked").Single());
    }
}
