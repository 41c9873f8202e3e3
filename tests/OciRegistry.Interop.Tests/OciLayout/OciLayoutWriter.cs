using System.Text.Json.Nodes;

namespace OciRegistry.Interop.Tests.OciLayout;

/// <summary>
/// Writes an OCI image layout on disk (<c>oci-layout</c>, <c>index.json</c>, <c>blobs/sha256/…</c>) that skopeo
/// reads as <c>oci:&lt;folder&gt;:&lt;tag&gt;</c>. Images have real gzip'd tar layers and a config whose
/// <c>rootfs.diff_ids</c> are the digests of the uncompressed tars.
/// </summary>
internal sealed class OciLayoutWriter
{
    private const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    private readonly JsonArray _tagged = [];

    public OciLayoutWriter(string folder)
    {
        Folder = folder;
        Directory.CreateDirectory(Path.Combine(folder, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(folder, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        WriteIndex();
    }

    /// <summary>The layout's root folder.</summary>
    public string Folder { get; }

    /// <summary>
    /// Writes an image for <paramref name="os"/>/<paramref name="architecture"/> with one layer per seed, each layer
    /// holding three files of <paramref name="fileBytes"/> random (incompressible) bytes.
    /// </summary>
    public OciImage AddImage(IReadOnlyList<int> layerSeeds, string os = "linux", string architecture = "amd64", int fileBytes = 16 * 1024)
    {
        var layers = new List<OciDescriptor>();
        var diffIds = new JsonArray();
        foreach (var seed in layerSeeds)
        {
            var tar = LayerFactory.CreateTar(seed, fileBytes: fileBytes);
            diffIds.Add(OciDescriptor.DigestOf(tar));
            layers.Add(WriteBlob(OciMediaTypes.GzipLayer, LayerFactory.Gzip(tar)));
        }

        var config = new JsonObject
        {
            ["created"] = "2024-01-01T00:00:00Z",
            ["architecture"] = architecture,
            ["os"] = os,
            ["config"] = new JsonObject { ["Cmd"] = new JsonArray("/bin/true") },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = diffIds },
        };
        var configDescriptor = WriteBlob(OciMediaTypes.ImageConfig, config);

        var layerArray = new JsonArray();
        foreach (var layer in layers)
        {
            layerArray.Add(layer.ToJson());
        }

        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciMediaTypes.ImageManifest,
            ["config"] = configDescriptor.ToJson(),
            ["layers"] = layerArray,
        };
        return new OciImage(WriteBlob(OciMediaTypes.ImageManifest, manifest), configDescriptor, layers);
    }

    /// <summary>Writes an image index over <paramref name="images"/>, each entry carrying its platform.</summary>
    public OciDescriptor AddIndex(IReadOnlyList<(OciImage Image, string Os, string Architecture)> images)
    {
        var manifests = new JsonArray();
        foreach (var (image, os, architecture) in images)
        {
            var entry = image.Manifest.ToJson();
            entry["platform"] = new JsonObject { ["architecture"] = architecture, ["os"] = os };
            manifests.Add(entry);
        }

        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciMediaTypes.ImageIndex,
            ["manifests"] = manifests,
        };
        return WriteBlob(OciMediaTypes.ImageIndex, index);
    }

    /// <summary>Names <paramref name="descriptor"/> <paramref name="tag"/> in the layout's <c>index.json</c>.</summary>
    public void Tag(OciDescriptor descriptor, string tag)
    {
        var entry = descriptor.ToJson();
        entry["annotations"] = new JsonObject { [RefNameAnnotation] = tag };
        _tagged.Add(entry);
        WriteIndex();
    }

    private OciDescriptor WriteBlob(string mediaType, JsonObject json) =>
        WriteBlob(mediaType, System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()));

    private OciDescriptor WriteBlob(string mediaType, byte[] content)
    {
        var descriptor = OciDescriptor.Of(mediaType, content);
        File.WriteAllBytes(OciLayoutPaths.Blob(Folder, descriptor.Digest), content);
        return descriptor;
    }

    private void WriteIndex()
    {
        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciMediaTypes.ImageIndex,
            ["manifests"] = _tagged.DeepClone(),
        };
        File.WriteAllText(Path.Combine(Folder, "index.json"), index.ToJsonString());
    }
}
