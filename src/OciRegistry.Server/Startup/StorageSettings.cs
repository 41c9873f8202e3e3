using Azure.Storage.Blobs;

namespace OciRegistry.Server.Startup;

/// <summary>
/// The storage settings the server reads, with their defaults, in one place. Blobs and uploads go to an Azure Blob
/// container when <see cref="AzureBlobConnectionStringKey"/> is set, to an S3 bucket when <see cref="S3BucketKey"/> is
/// set, else to the storage folder; the metadata stays in SQLite in the storage folder unless PostgreSQL is configured.
/// </summary>
internal static class StorageSettings
{
    public const string RootPathKey = "OciRegistry:Storage:RootPath";

    public const string DefaultRootPath = "registry-data";

    public const string AzureBlobSectionKey = "OciRegistry:Storage:AzureBlob";

    public const string AzureBlobConnectionStringKey = AzureBlobSectionKey + ":ConnectionString";

    public const string S3SectionKey = "OciRegistry:Storage:S3";

    public const string S3BucketKey = S3SectionKey + ":Bucket";

    /// <summary>Where blobs and uploads go.</summary>
    public enum BlobStorage
    {
        FileSystem,
        AzureBlob,
        S3,
    }

    /// <summary>The storage folder as configured; relative paths resolve against the working directory.</summary>
    public static string RootPath(IConfiguration configuration) => configuration[RootPathKey] is { Length: > 0 } path ? path : DefaultRootPath;

    /// <summary>The SQLite metadata database beside object storage: in the storage folder, as with files.</summary>
    public static string MetadataPath(IConfiguration configuration) => Path.Combine(RootPath(configuration), "metadata.db");

    /// <summary>
    /// What the storage folder holds, for a message naming it; null when it holds nothing because blobs are in an object
    /// store and the metadata in PostgreSQL (then no process needs a local folder, and none is created).
    /// </summary>
    public static string? FolderContents(IConfiguration configuration) =>
        (BlobStorageOf(configuration), MetadataSettings.UsesPostgreSql(configuration)) switch
        {
            (BlobStorage.FileSystem, false) => "blobs, uploads and SQLite metadata",
            (BlobStorage.FileSystem, true) => "blobs and uploads",
            (_, false) => "SQLite metadata",
            _ => null,
        };

    public static BlobStorage BlobStorageOf(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[AzureBlobConnectionStringKey]) ? BlobStorage.AzureBlob
        : !string.IsNullOrWhiteSpace(configuration[S3BucketKey]) ? BlobStorage.S3
        : BlobStorage.FileSystem;

    /// <summary>Adds a line when both object stores are configured, or the Azure settings are incomplete or unreadable.</summary>
    public static void Check(IConfiguration configuration, List<string> problems)
    {
        if (!string.IsNullOrWhiteSpace(configuration[AzureBlobConnectionStringKey]) && !string.IsNullOrWhiteSpace(configuration[S3BucketKey]))
        {
            problems.Add($"Both {AzureBlobConnectionStringKey} and {S3BucketKey} are set: blobs go to one store; remove the settings of the other.");
        }

        if (BlobStorageOf(configuration) == BlobStorage.AzureBlob)
        {
            if (string.IsNullOrWhiteSpace(configuration[AzureBlobSectionKey + ":Container"]))
            {
                problems.Add($"{AzureBlobSectionKey}:Container is not set: name the container the registry keeps its blobs in (it must exist).");
            }

            try
            {
                _ = new BlobServiceClient(configuration[AzureBlobConnectionStringKey]);
            }
            catch (FormatException)
            {
                problems.Add($"{AzureBlobConnectionStringKey} is not an Azure Storage connection string: write it as 'DefaultEndpointsProtocol=https;AccountName=...;AccountKey=...;EndpointSuffix=core.windows.net'.");
            }
        }
    }

    /// <summary>Where blobs are, for the startup summary; never a key.</summary>
    public static string Describe(IConfiguration configuration) => BlobStorageOf(configuration) switch
    {
        BlobStorage.AzureBlob => $"Azure Blob container '{configuration[AzureBlobSectionKey + ":Container"]}' at {AccountOf(configuration[AzureBlobConnectionStringKey]!)}"
            + (configuration.GetValue<bool>(AzureBlobSectionKey + ":AcknowledgePatchesBeforeStaging") ? ", PATCHes acknowledged before staging" : string.Empty),
        BlobStorage.S3 => $"S3 bucket '{configuration[S3BucketKey]}' at {(configuration[S3SectionKey + ":ServiceUrl"] is { Length: > 0 } url ? url : "AWS " + (configuration[S3SectionKey + ":Region"] ?? "us-east-1"))}",
        _ => $"file system at {Path.GetFullPath(RootPath(configuration))}",
    };

    private static string AccountOf(string connectionString)
    {
        try
        {
            return new BlobServiceClient(connectionString).Uri.ToString();
        }
        catch (FormatException)
        {
            return "an unreadable connection string";
        }
    }
}
