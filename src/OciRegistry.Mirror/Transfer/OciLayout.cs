using System.Text.Json;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Manifests;

namespace OciRegistry.Mirror.Transfer;

/// <summary>
/// The files of an OCI image layout (<c>oci-layout</c>, <c>index.json</c>, <c>blobs/&lt;algorithm&gt;/&lt;hex&gt;</c>) and
/// how entries of its index name images: the tag in <c>org.opencontainers.image.ref.name</c> (as skopeo and crane
/// write it), the repository in <see cref="RepositoryAnnotation"/>, and <c>io.containerd.image.name</c> for <c>ctr import</c>.
/// </summary>
internal static class OciLayout
{
    public const string TagAnnotation = "org.opencontainers.image.ref.name";
    public const string RepositoryAnnotation = "vnd.ociregistry.repository";
    public const string ContainerdNameAnnotation = "io.containerd.image.name";
    public const string IndexFile = "index.json";

    public static string BlobPath(string root, Digest digest) =>
        Path.Combine(root, "blobs", digest.Algorithm.ToString().ToLowerInvariant(), digest.EncodedString);

    public static bool IsTar(string path) => path.EndsWith(".tar", StringComparison.OrdinalIgnoreCase);

    /// <summary>The entries of the layout's index.json; empty when there is none yet.</summary>
    public static IReadOnlyList<Descriptor> ReadIndex(string root)
    {
        var path = Path.Combine(root, IndexFile);
        if (!File.Exists(path))
        {
            return [];
        }

        var parsed = ManifestParser.Parse(File.ReadAllBytes(path), ManifestMediaTypes.OciIndex);
        return parsed.IsSuccess ? parsed.Value.Manifests : throw new InvalidDataException($"{path}: {parsed.Error.Message}");
    }

    /// <summary>Writes <c>oci-layout</c> and <c>index.json</c> (through a temporary file, so a crash leaves the old one).</summary>
    public static void WriteIndex(string root, IEnumerable<Descriptor> entries)
    {
        File.WriteAllText(Path.Combine(root, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        var temporary = Path.Combine(root, IndexFile + ".tmp");
        using (var stream = File.Create(temporary))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 2);
            json.WriteString("mediaType", ManifestMediaTypes.OciIndex);
            json.WriteStartArray("manifests");
            foreach (var entry in entries)
            {
                json.WriteStartObject();
                json.WriteString("mediaType", entry.MediaType);
                json.WriteString("digest", entry.Digest.ToString());
                json.WriteNumber("size", entry.Size);
                if (entry.Annotations is { Count: > 0 } annotations)
                {
                    json.WriteStartObject("annotations");
                    foreach (var (key, value) in annotations.OrderBy(a => a.Key, StringComparer.Ordinal))
                    {
                        json.WriteString(key, value);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        File.Move(temporary, Path.Combine(root, IndexFile), overwrite: true);
    }
}
