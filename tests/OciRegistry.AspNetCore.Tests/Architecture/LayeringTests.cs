using System.Reflection;
using OciRegistry.AspNetCore.Authorization;
using OciRegistry.Core.Digests;
using OciRegistry.Storage.FileSystem;
using OciRegistry.Storage.Sqlite;
using OciRegistry.Testing;

namespace OciRegistry.AspNetCore.Tests.Architecture;

/// <summary>Nothing points upward: each src assembly references only the layers below it (ARCHITECTURE.md).</summary>
public sealed class LayeringTests
{
    public static TheoryData<string, string[]> AllowedReferences => new()
    {
        { "OciRegistry.Core", [] },
        { "OciRegistry.Storage.Sqlite", ["OciRegistry.Core"] },
        { "OciRegistry.Storage.FileSystem", ["OciRegistry.Core", "OciRegistry.Storage.Sqlite"] },
        { "OciRegistry.AspNetCore", ["OciRegistry.Core"] },
        { "OciRegistry.Testing", ["OciRegistry.Core", "OciRegistry.AspNetCore", "OciRegistry.Storage.FileSystem"] },
    };

    [Theory]
    [MemberData(nameof(AllowedReferences))]
    public void References_OnlyLowerLayers(string assemblyName, string[] allowed)
    {
        var ours = OurReferences(Load(assemblyName));

        Assert.Empty(ours.Except(allowed));
    }

    [Theory]
    [InlineData("OciRegistry.Core")]
    [InlineData("OciRegistry.Storage.FileSystem")]
    [InlineData("OciRegistry.Storage.Sqlite")]
    public void ProtocolAgnosticLayers_DoNotReferenceAspNetCore(string assemblyName)
    {
        var references = Load(assemblyName).GetReferencedAssemblies().Select(a => a.Name ?? "");

        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    private static Assembly Load(string name) => new[]
    {
        typeof(Digest).Assembly,
        typeof(FileSystemBlobStore).Assembly,
        typeof(SqliteMetadataStore).Assembly,
        typeof(IRegistryAuthorizer).Assembly,
        typeof(InProcessRegistry).Assembly,
    }.Single(a => a.GetName().Name == name);

    private static string[] OurReferences(Assembly assembly) =>
        assembly.GetReferencedAssemblies()
            .Select(a => a.Name ?? "")
            .Where(name => name.StartsWith("OciRegistry.", StringComparison.Ordinal))
            .ToArray();
}
