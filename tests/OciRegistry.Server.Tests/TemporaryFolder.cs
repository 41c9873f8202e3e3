using System.IO.Pipelines;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.Core.Operations;

namespace OciRegistry.Server.Tests;

/// <summary>A working folder for one test, with helpers to put registry data and an htpasswd file into it.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("oci-server-").FullName;

    public string Storage => System.IO.Path.Combine(Path, "data");

    public void Dispose() => OciRegistry.Tests.TestFolders.Delete(Path);

    /// <summary>Pushes a blob no manifest references into <see cref="Storage"/>; returns the blob's file.</summary>
    public async Task<string> PushOrphanBlobAsync()
    {
        var blob = RandomNumberGenerator.GetBytes(321);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob));
        var services = new ServiceCollection();
        services.AddOciRegistryCore().AddFileSystemStorage(o => o.RootPath = Storage);
        await using (var provider = services.BuildServiceProvider())
        {
            var pushed = await provider.GetRequiredService<UploadOperations>().PushAsync("app", digest, PipeReader.Create(new MemoryStream(blob)));
            Assert.True(pushed.IsSuccess);
        }

        return Directory.EnumerateFiles(System.IO.Path.Combine(Storage, "blobs"), "*", SearchOption.AllDirectories).Single();
    }

    /// <summary>Writes an htpasswd file with the given lines and returns its path.</summary>
    public string WriteHtpasswd(params string[] lines)
    {
        var path = System.IO.Path.Combine(Path, "htpasswd");
        File.WriteAllLines(path, lines);
        return path;
    }

    public static string BcryptEntry(string user, string password) => $"{user}:{BCrypt.Net.BCrypt.HashPassword(password, workFactor: 4)}";
}
