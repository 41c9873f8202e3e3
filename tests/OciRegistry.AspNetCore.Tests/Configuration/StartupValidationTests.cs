using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OciRegistry.Testing;

namespace OciRegistry.AspNetCore.Tests.Configuration;

/// <summary>A bad setting stops the host when it starts, with a message naming the key, instead of failing later.</summary>
public sealed class StartupValidationTests
{
    [Fact]
    public async Task InvalidRegistryOption_StopsTheHost_NamingTheKey()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(
            () => InProcessRegistry.StartAsync(o => o.Registry = r => r.MaxUploadSessions = 0));

        Assert.Contains("OciRegistry:MaxUploadSessions", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyStoragePath_StopsTheHost_NamingTheKey()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(
            () => InProcessRegistry.StartAsync(o => o.Services = services => services.AddOciRegistry().AddFileSystemStorage(storage => storage.RootPath = " ")));

        Assert.Contains("RootPath", failure.Message, StringComparison.Ordinal);
    }
}
