using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace OciRegistry.Core.Tests.Manifests;

/// <summary>
/// A key that names a field the registry reads, in another case (<c>LAYERS</c> beside <c>layers</c>), is refused:
/// Go clients read such keys case-insensitively, so the registry would check one list and clients pull the other.
/// </summary>
public sealed class CaseVariantKeyProperties
{
    // Each site is an object the registry reads fields of: the manifest, its config and a layer, an index entry and its platform.
    private static readonly (string Sample, Func<JsonObject, JsonObject> Site)[] Sites =
    [
        (ManifestSamples.OciManifest, root => root),
        (ManifestSamples.OciManifest, root => root["config"]!.AsObject()),
        (ManifestSamples.OciManifest, root => root["layers"]![2]!.AsObject()),
        (ManifestSamples.OciIndex, root => root["manifests"]![1]!.AsObject()),
        (ManifestSamples.OciIndex, root => root["manifests"]![1]!["platform"]!.AsObject()),
    ];

    [Property(MaxTest = 300)]
    public Property AKnownFieldRepeatedInAnotherCase_IsRefused()
    {
        var cases =
            from site in Gen.Elements(Sites)
            from key in Gen.Elements(site.Site(JsonNode.Parse(site.Sample)!.AsObject()).Select(p => p.Key).ToArray())
            from flips in Gen.ArrayOf(Gen.Elements(true, false), key.Length)
            let variant = new string(key.Select((c, i) => flips[i] ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c)).ToArray())
            where variant != key
            select (site, key, variant);

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var root = JsonNode.Parse(c.site.Sample)!.AsObject();
            var target = c.site.Site(root);
            target[c.variant] = target[c.key]!.DeepClone();

            ManifestAssert.Invalid(root.ToJsonString(), $"{c.variant} is ");
        });
    }

    [Fact]
    public void AKnownFieldSpelledOnlyInAnotherCase_IsRefused()
    {
        var manifest = ManifestSamples.OciManifest.Replace("\"layers\":", "\"Layers\":", StringComparison.Ordinal);

        ManifestAssert.Invalid(manifest, "Layers is layers in another case");
    }

    [Fact]
    public void UnknownFieldsAndAnnotationKeys_MayDifferByCaseOnly()
    {
        var root = JsonNode.Parse(ManifestSamples.OciManifest)!.AsObject();
        root["vendorField"] = 1;
        root["VENDORFIELD"] = 2;
        root["annotations"]!["COM.EXAMPLE.KEY1"] = "other";

        var manifest = ManifestAssert.Valid(root.ToJsonString());

        Assert.Equal("other", manifest.Annotations!["COM.EXAMPLE.KEY1"]);
    }
}
