namespace OciRegistry.Storage.S3;

/// <summary>Where the S3 store keeps blobs (<c>OciRegistry:Storage:S3</c> in the standalone server).</summary>
public sealed class S3StorageOptions
{
    /// <summary>
    /// The endpoint of an S3-compatible server (<c>http://127.0.0.1:7480</c> for a Ceph RADOS Gateway, a MinIO
    /// address); empty for AWS itself, which then uses <see cref="Region"/>.
    /// </summary>
    public string ServiceUrl { get; set; } = string.Empty;

    /// <summary>The region requests are signed for (default <c>us-east-1</c>, which S3-compatible servers accept).</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>The bucket, which must exist.</summary>
    public string Bucket { get; set; } = string.Empty;

    /// <summary>The access key id; empty to use the AWS SDK's default credentials (environment, profile, instance role).</summary>
    public string AccessKey { get; set; } = string.Empty;

    /// <summary>The secret access key that goes with <see cref="AccessKey"/>.</summary>
    public string SecretKey { get; set; } = string.Empty;

    /// <summary>
    /// Addresses the bucket in the path (<c>http://host/bucket/key</c>) rather than the host name (default true:
    /// Ceph and MinIO need it unless their DNS is set up for buckets).
    /// </summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>
    /// The SQLite database file of the registry's metadata (default <c>metadata.db</c> in the working directory), unless
    /// a metadata store is added after this one (<c>AddPostgreSqlMetadata</c>, which several instances can share).
    /// </summary>
    public string MetadataPath { get; set; } = "metadata.db";
}
