using OciRegistry.Tests;

namespace OciRegistry.Interop.Tests.Infrastructure;

/// <summary>Finding the clients the tests drive: a missing one is a failure that names how to install it, never a skip.</summary>
public sealed class ExternalToolTests
{
    public static TheoryData<string> ListedCommands => [.. ExternalTool.Listed.Keys];

    [Theory]
    [MemberData(nameof(ListedCommands))]
    public void Find_EveryListedCommand_OnThisMachine(string command)
    {
        var path = ExternalTool.Find(command);

        Assert.True(File.Exists(path), path);
    }

    [Fact]
    public void Find_InTheGivenFolders_ReturnsTheFirstMatch()
    {
        var empty = Directory.CreateTempSubdirectory("no-tools-");
        var withTool = Directory.CreateTempSubdirectory("tools-");
        try
        {
            var skopeo = Path.Combine(withTool.FullName, "skopeo");
            File.WriteAllText(skopeo, "#!/bin/sh\n");

            Assert.Equal(skopeo, ExternalTool.Find("skopeo", configuredPath: null, [empty.FullName, withTool.FullName]));
        }
        finally
        {
            empty.Delete();
            withTool.Delete(recursive: true);
        }
    }

    [Fact]
    public void Find_WithoutTheCommand_ThrowsNamingTheScriptAndThePackage()
    {
        var empty = Directory.CreateTempSubdirectory("no-tools-");
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => ExternalTool.Find("docker", configuredPath: null, [empty.FullName]));

            Assert.Equal("docker not found: run ./test.sh, or apt-get install docker.io (or set DOCKER_PATH).", error.Message);
        }
        finally
        {
            empty.Delete();
        }
    }

    [Fact]
    public void Find_WithMissingConfiguredPath_ThrowsNamingItAndTheInstallCommand()
    {
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "skopeo");

        var error = Assert.Throws<InvalidOperationException>(() => ExternalTool.Find("skopeo", missing, []));

        Assert.Contains($"SKOPEO_PATH is '{missing}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("run ./test.sh, or apt-get install skopeo", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_AnUnlistedCommand_ThrowsPointingAtTheList()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ExternalTool.Find("not-a-listed-tool", configuredPath: null, []));

        Assert.Contains("tests/external-tools.txt", error.Message, StringComparison.Ordinal);
    }
}
