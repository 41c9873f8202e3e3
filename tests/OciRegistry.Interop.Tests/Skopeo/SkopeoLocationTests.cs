namespace OciRegistry.Interop.Tests.Skopeo;

/// <summary>Finding skopeo: a missing binary is a failure that says how to install it, never a skip.</summary>
public sealed class SkopeoLocationTests
{
    [Fact]
    public void Locate_WithoutSkopeoOnPath_ThrowsWithInstallHint()
    {
        var emptyFolder = Directory.CreateTempSubdirectory("no-skopeo-");
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => SkopeoCli.Locate(configuredPath: null, searchPath: emptyFolder.FullName));
            Assert.Contains("apt-get install -y skopeo", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            emptyFolder.Delete();
        }
    }

    [Fact]
    public void Locate_WithMissingConfiguredPath_ThrowsNamingIt()
    {
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "skopeo");

        var error = Assert.Throws<InvalidOperationException>(() => SkopeoCli.Locate(missing, searchPath: null));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Locate_OnThisMachine_FindsAnExecutable()
    {
        var path = SkopeoCli.Locate();

        Assert.True(File.Exists(path), path);
    }
}
