using Amazon.S3;
using OciRegistry.Storage.S3;

namespace OciRegistry.Storage.Tests.S3;

/// <summary>
/// The S3 server <c>scripts/services/ceph-s3.sh start</c> runs (Ceph's RADOS Gateway on 127.0.0.1), read from the
/// settings file it writes. Fails, naming that command, when the server is not running.
/// </summary>
public sealed class CephS3Server : IDisposable
{
    private readonly Lazy<(S3StorageOptions Options, AmazonS3Client Client)> _server = new(Connect);

    /// <summary>The connection settings, without a bucket.</summary>
    public S3StorageOptions Options => _server.Value.Options;

    /// <summary>A client of the server.</summary>
    public IAmazonS3 Client => _server.Value.Client;

    /// <summary>A new, empty bucket.</summary>
    public string CreateBucket()
    {
        var bucket = "test-" + Guid.NewGuid().ToString("N");
        Client.PutBucketAsync(bucket).GetAwaiter().GetResult();
        return bucket;
    }

    public void Dispose()
    {
        if (_server.IsValueCreated)
        {
            _server.Value.Client.Dispose();
        }
    }

    private static (S3StorageOptions, AmazonS3Client) Connect()
    {
        var servicesFolder = Environment.GetEnvironmentVariable("OCIREGISTRY_SERVICES_DIR") ?? "/tmp/ociregistry-services";
        var settingsFile = Path.Combine(servicesFolder, "ceph-s3", "s3.env");
        if (!File.Exists(settingsFile))
        {
            throw new InvalidOperationException(
                $"The S3 server is not running (no {settingsFile}): start it with `scripts/services/ceph-s3.sh start` (./test.sh does).");
        }

        var settings = File.ReadLines(settingsFile)
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        var options = new S3StorageOptions
        {
            ServiceUrl = settings["S3_ENDPOINT"],
            Region = settings["S3_REGION"],
            AccessKey = settings["S3_ACCESS_KEY"],
            SecretKey = settings["S3_SECRET_KEY"],
        };
        return (options, S3Clients.Create(options));
    }
}

[CollectionDefinition(Name)]
public sealed class CephS3Collection : ICollectionFixture<CephS3Server>
{
    public const string Name = "Ceph S3";
}
