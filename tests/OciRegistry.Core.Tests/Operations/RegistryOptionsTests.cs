using OciRegistry.Core.Operations;

namespace OciRegistry.Core.Tests.Operations;

public sealed class RegistryOptionsTests
{
    public static TheoryData<string, Action<RegistryOptions>> InvalidSettings => new()
    {
        { nameof(RegistryOptions.MaxManifestBytes), o => o.MaxManifestBytes = 0 },
        { nameof(RegistryOptions.MaxPageSize), o => o.MaxPageSize = -1 },
        { nameof(RegistryOptions.UploadSessionLifetime), o => o.UploadSessionLifetime = TimeSpan.Zero },
        { nameof(RegistryOptions.ChunkMinLength), o => o.ChunkMinLength = 0 },
        { nameof(RegistryOptions.MaxBlobBytes), o => o.MaxBlobBytes = -5 },
        { nameof(RegistryOptions.MaxUploadSessions), o => o.MaxUploadSessions = 0 },
        { nameof(RegistryOptions.ManifestCacheBytes), o => o.ManifestCacheBytes = -1 },
        { nameof(RegistryOptions.BlobRedirectLifetime), o => o.BlobRedirectLifetime = TimeSpan.Zero },
    };

    [Fact]
    public void Defaults_AreValid() => Assert.Empty(new RegistryOptions().Validate());

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void InvalidSetting_IsReported_NamingItsKey(string key, Action<RegistryOptions> configure)
    {
        var options = new RegistryOptions();
        configure(options);

        var problem = Assert.Single(options.Validate());

        Assert.Contains($"OciRegistry:{key}", problem, StringComparison.Ordinal);
    }
}
