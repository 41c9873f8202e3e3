using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using OciRegistry.Core.Manifests;

namespace OciRegistry.Core.Tests.Manifests;

/// <summary>A valid OCI image manifest with arbitrary whitespace, member order, layer count and annotations, and what it should parse to.</summary>
public sealed record GeneratedManifest(byte[] Bytes, int LayerCount, IReadOnlyDictionary<string, string> Annotations)
{
    private static readonly string[] Whitespace = ["", " ", "  ", "\n", "\t", "\r\n    ", "\n\t\t"];
    private static readonly string[] Fragments = ["a", "Z", "0", " ", ".", "/", "é", "中", "😀", "\"", "\\", "\n", "\t", "<", "&", "'", "\u0001", "+"];
    private static readonly JsonSerializerOptions Escaped = new();
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The generator; shrinks nothing, the inputs are small already.</summary>
    public static Arbitrary<GeneratedManifest> Arbitrary() =>
        (from layerCount in Gen.Choose(0, 5)
         from keys in Text().ListOf()
         from values in Text().ArrayOf(keys.Count)
         from whitespace in Gen.Elements(Whitespace).ArrayOf(64)
         from relaxed in Gen.Elements(true, false)
         from order in Gen.Shuffle(Enumerable.Range(0, 5))
         select Build(layerCount, keys, values, whitespace, relaxed ? Relaxed : Escaped, order)).ToArbitrary();

    private static Gen<string> Text() => Gen.Elements(Fragments).ListOf().Select(parts => string.Concat(parts));

    private static GeneratedManifest Build(int layerCount, IReadOnlyList<string> keys, string[] values, string[] whitespace, JsonSerializerOptions encoding, int[] order)
    {
        var next = 0;
        string W() => whitespace[next++ % whitespace.Length];
        string S(string text) => JsonSerializer.Serialize(text, encoding);
        string Member(string name, string value) => $"{W()}{S(name)}{W()}:{W()}{value}{W()}";
        string Descriptor(string mediaType, string seed, int size) =>
            "{" + string.Join(",", Member("mediaType", S(mediaType)), Member("digest", S(ManifestSamples.DigestOf(seed))), Member("size", size.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "}";

        var annotations = new Dictionary<string, string>();
        for (var i = 0; i < keys.Count; i++)
        {
            annotations.TryAdd(keys[i], values[i]);
        }

        var layers = Enumerable.Range(0, layerCount).Select(i => Descriptor(ManifestSamples.OciLayerType, "layer" + i, 1000 + i)).ToList();
        string[] members =
        [
            Member("schemaVersion", "2"),
            Member("mediaType", S(ManifestMediaTypes.OciManifest)),
            Member("config", Descriptor(ManifestSamples.OciConfigType, "config", 42)),
            Member("layers", "[" + W() + string.Join("," + W(), layers) + W() + "]"),
            Member("annotations", "{" + string.Join(",", annotations.Select(a => Member(a.Key, S(a.Value)))) + W() + "}"),
        ];
        var json = W() + "{" + string.Join(",", order.Select(i => members[i])) + "}" + W();
        return new GeneratedManifest(Encoding.UTF8.GetBytes(json), layerCount, annotations);
    }
}
