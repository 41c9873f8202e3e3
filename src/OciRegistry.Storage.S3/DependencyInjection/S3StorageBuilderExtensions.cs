using Microsoft.Extensions.Options;
using OciRegistry.Storage.S3;
using OciRegistry.Storage.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds S3-compatible object storage to a registry.</summary>
public static class S3StorageBuilderExtensions
{
    /// <summary>
    /// Stores blobs (<see cref="S3BlobStore"/>, with presigned redirects) and uploads (<see cref="S3UploadStore"/>) in an
    /// S3 bucket (AWS, Ceph RADOS Gateway, MinIO), and the metadata in SQLite at
    /// <see cref="S3StorageOptions.MetadataPath"/> unless a metadata store is added after this call (e.g.
    /// <c>AddPostgreSqlMetadata</c>). The settings are validated when the host starts.
    /// </summary>
    public static IOciRegistryBuilder AddS3Storage(this IOciRegistryBuilder builder, Action<S3StorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<S3StorageOptions>()
            .Configure(configure)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Bucket), "OciRegistry:Storage:S3:Bucket must name the bucket for the registry's blobs.")
            .Validate(o => string.IsNullOrEmpty(o.AccessKey) == string.IsNullOrEmpty(o.SecretKey), "OciRegistry:Storage:S3:AccessKey and SecretKey go together: give both, or neither to use the AWS SDK's default credentials.")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<S3StorageOptions>>().Value;
            return new S3BlobStore(S3Clients.Create(options), options.Bucket);
        });
        return builder.UseStorage(
            sp => sp.GetRequiredService<S3BlobStore>(),
            sp => new S3UploadStore(sp.GetRequiredService<S3BlobStore>(), sp.GetService<TimeProvider>()),
            sp => new SqliteMetadataStore(sp.GetRequiredService<IOptions<S3StorageOptions>>().Value.MetadataPath, sp.GetService<TimeProvider>()));
    }
}
