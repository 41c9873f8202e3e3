using OciRegistry.Testing.Xunit;

namespace OciRegistry.Testing.Tests.Xunit;

/// <summary>A fixture whose registry keeps its data on disk: shows the <see cref="InProcessRegistryFixture"/> hook.</summary>
public sealed class FileSystemRegistryFixture : InProcessRegistryFixture
{
    protected override void Configure(InProcessRegistryOptions options) => options.UseFileSystem = true;
}
