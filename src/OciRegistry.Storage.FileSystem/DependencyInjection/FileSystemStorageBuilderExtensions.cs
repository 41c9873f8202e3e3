using Microsoft.Extensions.Options;
using OciRegistry.Core.Storage;
using OciRegistry.Storage.FileSystem;
using OciRegistry.Storage.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds local-disk storage to a registry.</summary>
public static class FileSystemStorageBuilderExtensions
{
    /// <summary>
    /// Stores blobs and uploads under <see cref="FileSystemStorageOptions.RootPath"/> (see LAYOUT.md) and the metadata
    /// in a SQLite database there (<c>metadata.db</c>, <see cref="SqliteMetadataStore"/>), replacing the default
    /// in-memory storage. The path is validated when the host starts.
    /// </summary>
    public static IOciRegistryBuilder AddFileSystemStorage(this IOciRegistryBuilder builder, Action<FileSystemStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<FileSystemStorageOptions>()
            .Configure(configure)
            .Validate(o => !string.IsNullOrWhiteSpace(o.RootPath), "OciRegistry:Storage:RootPath must name a folder for the registry's data.")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new FileSystemBlobStore(sp.GetRequiredService<IOptions<FileSystemStorageOptions>>().Value));
        return builder.UseStorage(
            sp => sp.GetRequiredService<FileSystemBlobStore>(),
            sp => new FileSystemUploadStore(sp.GetRequiredService<FileSystemBlobStore>(), sp.GetService<TimeProvider>()),
            sp => new SqliteMetadataStore(
                sp.GetRequiredService<FileSystemBlobStore>().Layout.MetadataDatabase, sp.GetService<TimeProvider>()));
    }
}
