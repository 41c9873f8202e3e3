using System.Buffers;
using System.Text.Json;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Manifests;

namespace OciRegistry.Testing;

/// <summary>Writes the JSON documents a seeded image is made of: config, image manifest, image index.</summary>
internal static class SeedDocuments
{
    public const string ConfigMediaType = "application/vnd.oci.image.config.v1+json";
    public const string LayerMediaType = "application/vnd.oci.image.layer.v1.tar";

    public static byte[] Config(string os, string architecture, IReadOnlyList<byte[]> layers) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteString("architecture", architecture);
        json.WriteString("os", os);
        json.WriteStartObject("config");
        json.WriteEndObject();
        json.WriteStartObject("rootfs");
        json.WriteString("type", "layers");
        json.WriteStartArray("diff_ids");
        foreach (var layer in layers)
        {
            json.WriteStringValue(DigestHasher.Compute(layer).ToString());
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    });

    public static byte[] ImageManifest(Digest configDigest, long configSize, IReadOnlyList<Digest> layerDigests, IReadOnlyList<byte[]> layers) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteNumber("schemaVersion", 2);
        json.WriteString("mediaType", ManifestMediaTypes.OciManifest);
        json.WritePropertyName("config");
        WriteDescriptor(json, ConfigMediaType, configDigest, configSize);
        json.WriteStartArray("layers");
        for (var i = 0; i < layers.Count; i++)
        {
            WriteDescriptor(json, LayerMediaType, layerDigests[i], layers[i].Length);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    });

    public static byte[] Index(IReadOnlyList<SeededImage> images) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteNumber("schemaVersion", 2);
        json.WriteString("mediaType", ManifestMediaTypes.OciIndex);
        json.WriteStartArray("manifests");
        foreach (var image in images)
        {
            json.WriteStartObject();
            WriteDescriptorFields(json, ManifestMediaTypes.OciManifest, image.ManifestDigest, image.ManifestSize);
            if (image.Os is not null && image.Architecture is not null)
            {
                json.WriteStartObject("platform");
                json.WriteString("architecture", image.Architecture);
                json.WriteString("os", image.Os);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    });

    /// <summary>Reads <c>os</c> and <c>architecture</c> from a config, leaving them null when absent or when the config is not a JSON object.</summary>
    public static (string? Os, string? Architecture) ReadPlatform(byte[] config)
    {
        try
        {
            using var document = JsonDocument.Parse(config);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                ? (StringProperty(root, "os"), StringProperty(root, "architecture"))
                : (null, null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static void WriteDescriptor(Utf8JsonWriter json, string mediaType, Digest digest, long size)
    {
        json.WriteStartObject();
        WriteDescriptorFields(json, mediaType, digest, size);
        json.WriteEndObject();
    }

    private static void WriteDescriptorFields(Utf8JsonWriter json, string mediaType, Digest digest, long size)
    {
        json.WriteString("mediaType", mediaType);
        json.WriteString("digest", digest.ToString());
        json.WriteNumber("size", size);
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
