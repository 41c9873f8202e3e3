using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.Interop.Tests.Containerd;
using OciRegistry.Interop.Tests.DotnetSdk;
using OciRegistry.Interop.Tests.Infrastructure;
using OciRegistry.Interop.Tests.MultiInstance;
using OciRegistry.Interop.Tests.OciLayout;
using OciRegistry.Interop.Tests.Skopeo;
using OciRegistry.Storage.Tests.AzureBlob;
using OciRegistry.Storage.Tests.S3;
using OciRegistry.Testing;

namespace OciRegistry.Interop.Tests.ObjectStorage;

/// <summary>
/// skopeo pushes and pulls through a registry whose blobs and uploads are in an object store, containerd pulls from it
/// with blob redirects on, following each 307 to the store and verifying the digests, and the .NET SDK publishes to
/// Azure in small PATCHes answered before their bytes are staged.
/// </summary>
public sealed class ObjectStorageInteropTests(AzuriteServer azurite, CephS3Server s3)
    : IClassFixture<AzuriteServer>, IClassFixture<CephS3Server>, IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("oci-objstore-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Theory]
    [InlineData("azure")]
    [InlineData("s3")]
    public async Task Skopeo_PushesAndPullsAnImage_ByteForByte(string store)
    {
        await using var registry = await StartAsync(store, redirects: false);
        using var skopeo = new SkopeoCli();
        var source = new OciLayoutWriter(Path.Combine(_folder.FullName, "source"));
        var image = source.AddImage([21, 22, 23], fileBytes: 3 * 1024 * 1024);
        source.Tag(image.Manifest, "1.0");
        var remote = $"docker://{registry.HostPort}/objstore/app:1.0";

        await skopeo.RunSucceedingAsync("copy", "--dest-tls-verify=false", $"oci:{source.Folder}:1.0", remote);
        var pulledFolder = Path.Combine(_folder.FullName, "pulled");
        await skopeo.RunSucceedingAsync("copy", "--src-tls-verify=false", remote, $"oci:{pulledFolder}:1.0");

        var pulled = new OciLayoutReader(pulledFolder);
        var sourceBlobs = new OciLayoutReader(source.Folder);
        Assert.Equal(image.Manifest, pulled.Resolve("1.0"));
        foreach (var layer in image.Layers)
        {
            Assert.Equal(sourceBlobs.ReadBlob(layer.Digest), pulled.ReadBlob(layer.Digest));
        }
    }

    [Theory]
    [InlineData("azure")]
    [InlineData("s3")]
    public async Task Containerd_FollowsBlobRedirectsToTheStore_AndVerifiesTheDigests(string store)
    {
        var recorder = new RequestRecorder();
        await using var registry = await StartAsync(store, redirects: true, recorder);
        var image = await registry.Seeder.PushImageAsync("team/app", "1.0", [Layers.Tar("app/hello.txt", "hello from the store")]);
        await using var containerd = await ContainerdDaemon.StartAsync();

        await containerd.CtrSucceedingAsync("images", "pull", "--plain-http", $"{registry.HostPort}/team/app:1.0");

        Assert.Contains(image.ManifestDigest.ToString(), await containerd.CtrSucceedingAsync("images", "ls"), StringComparison.Ordinal);
        var blobGets = recorder.Requests.Where(r => r.Method == "GET" && r.Path.Contains("/blobs/sha256:", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(blobGets);
        Assert.All(blobGets, r => Assert.Equal((int)HttpStatusCode.TemporaryRedirect, r.StatusCode));
    }

    // The .NET SDK's container publishing, made to upload every blob in PATCHes of 4 KiB (its chunked mode, off by
    // default, sends 64 KiB), to a registry on Azure that answers PATCHes before their bytes are staged: the image is
    // pulled back with every digest right.
    [Fact]
    public async Task DotnetSdkPublish_InSmallPatches_ToAzureAcknowledgingBeforeStaging_IsPulledBackWithEveryDigest()
    {
        var recorder = new RequestRecorder();
        await using var registry = await StartAsync("azure", redirects: false, recorder, acknowledgePatchesBeforeStaging: true);
        await registry.Seeder.PushImageAsync("base/runtime", "10.0", [Layers.Tar("etc/os-release", "NAME=base\n")]);
        using var app = new DotnetContainerPublish();
        var chunked = new Dictionary<string, string>
        {
            // The SDK has named its switch both ways.
            ["SDK_CONTAINER_DEBUG_REGISTRY_FORCE_CHUNKED_UPLOAD"] = "true",
            ["SDK_CONTAINER_REGISTRY_FORCE_CHUNKED_UPLOAD"] = "true",
            ["SDK_CONTAINER_REGISTRY_CHUNKED_UPLOAD_SIZE_BYTES"] = "4096",
        };

        var publish = await app.PublishAsync(registry.HostPort, $"{registry.HostPort}/base/runtime:10.0", "apps/hello", "1.0", chunked);

        Assert.True(publish.ExitCode == 0, publish.Describe());
        var patches = recorder.Requests.Count(r => r.Method == "PATCH" && r.Path.StartsWith("/v2/apps/hello/", StringComparison.Ordinal));
        Assert.True(patches >= 3, $"{patches} PATCHes:\n{recorder.Describe()}");
        using var head = new HttpRequestMessage(HttpMethod.Head, "v2/apps/hello/manifests/1.0");
        head.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        head.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        using var tagged = await registry.Client.SendAsync(head);
        await PullCheck.AssertPullableAsync(registry.Client, "apps/hello", tagged.Headers.GetValues("Docker-Content-Digest").Single());
    }

    private async Task<InProcessRegistry> StartAsync(string store, bool redirects, RequestRecorder? recorder = null, bool acknowledgePatchesBeforeStaging = false)
    {
        var metadata = Path.Combine(_folder.FullName, $"metadata-{Guid.NewGuid():N}.db");
        var container = store == "azure" ? azurite.CreateContainer().Name : null;
        var bucket = store == "s3" ? s3.CreateBucket() : null;
        return await InProcessRegistry.StartAsync(options =>
        {
            options.App = recorder is null ? null : recorder.Attach;
            options.Registry = redirects ? registry => registry.BlobRedirectLifetime = TimeSpan.FromMinutes(5) : null;
            options.Services = services =>
            {
                var builder = services.AddOciRegistryCore();
                if (container is not null)
                {
                    builder.AddAzureBlobStorage(o =>
                    {
                        (o.ConnectionString, o.Container, o.MetadataPath) = (azurite.ConnectionString, container, metadata);
                        o.AcknowledgePatchesBeforeStaging = acknowledgePatchesBeforeStaging;
                    });
                }
                else
                {
                    builder.AddS3Storage(o =>
                    {
                        (o.ServiceUrl, o.Region, o.AccessKey, o.SecretKey) = (s3.Options.ServiceUrl, s3.Options.Region, s3.Options.AccessKey, s3.Options.SecretKey);
                        (o.Bucket, o.MetadataPath) = (bucket!, metadata);
                    });
                }
            };
        });
    }
}
