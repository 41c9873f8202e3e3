using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OciRegistry.Core.Errors;
using OciRegistry.Core.Manifests;

namespace OciRegistry.Core.Tests.Manifests;

public sealed class ManifestParserProperties
{
    private static readonly byte[][] Samples =
    [
        .. new[] { ManifestSamples.OciManifest, ManifestSamples.OciIndex, ManifestSamples.DockerManifest, ManifestSamples.DockerManifestList, ManifestSamples.Artifact }
            .Select(Encoding.UTF8.GetBytes),
    ];

    private static readonly byte[] JsonSignificant = "{}[]\":,\\-0123456789.eEtfn \n\u0001"u8.ToArray();

    [Property(MaxTest = 300)]
    public Property Keeps_ExactBytesAndDigest_OfAnyValidManifest() =>
        Prop.ForAll(GeneratedManifest.Arbitrary(), generated =>
        {
            ReadOnlyMemory<byte> bytes = generated.Bytes;
            var result = ManifestParser.Parse(bytes, ManifestMediaTypes.OciManifest);

            Assert.True(result.IsSuccess, result.Error?.Message + "\n" + Encoding.UTF8.GetString(generated.Bytes));
            var manifest = result.Value;
            Assert.True(manifest.Bytes.Equals(bytes), "Bytes must be the very memory passed in");
            Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(generated.Bytes)), manifest.Digest.ToString());
            Assert.Equal(generated.LayerCount, manifest.Layers.Count);
            Assert.Equal(generated.Annotations, manifest.Annotations);
        });

    [Property(MaxTest = 500)]
    public bool RandomBytes_GiveOnlySuccessOrManifestInvalid(byte[] bytes) =>
        IsSuccessOrManifestInvalid(bytes) && IsSuccessOrManifestInvalid([(byte)'{', .. bytes]);

    [Property(MaxTest = 3000)]
    public Property SingleByteMutations_GiveOnlySuccessOrManifestInvalid()
    {
        var mutations =
            from sample in Gen.Elements(Samples)
            from position in Gen.Choose(0, sample.Length - 1)
            from value in Gen.OneOf(Gen.Elements(JsonSignificant), Gen.Choose(0, 255).Select(b => (byte)b))
            select (sample, position, value);

        return Prop.ForAll(mutations.ToArbitrary(), m =>
        {
            var mutated = m.sample.ToArray();
            mutated[m.position] = m.value;
            return IsSuccessOrManifestInvalid(mutated);
        });
    }

    private static bool IsSuccessOrManifestInvalid(byte[] bytes)
    {
        var result = ManifestParser.Parse(bytes, null);
        return result.IsSuccess || result.Error.Code == RegistryErrorCode.ManifestInvalid;
    }
}
