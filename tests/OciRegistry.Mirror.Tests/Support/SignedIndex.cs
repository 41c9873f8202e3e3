using System.Text;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Manifests;
using OciRegistry.Testing;

namespace OciRegistry.Mirror.Tests.Support;

/// <summary>A two-platform index tagged in a registry, with a signature manifest whose subject is the index.</summary>
internal sealed record SignedIndex(Digest Index, Digest Amd64, Digest Arm64, Digest Signature, IReadOnlyList<Digest> Blobs)
{
    public const string SignatureType = "application/vnd.dev.cosign.artifact.sig.v1+json";

    public static async Task<SignedIndex> PushAsync(InProcessRegistry registry, string repository, string tag)
    {
        var seeder = registry.Seeder;
        byte[] amdLayer = Encoding.UTF8.GetBytes($"amd64 layer of {repository}");
        byte[] armLayer = Encoding.UTF8.GetBytes($"arm64 layer of {repository}");
        var amd64 = await seeder.PushImageAsync(repository, null, [amdLayer]);
        var arm64 = await seeder.PushImageAsync(repository, null, [armLayer], RegistrySeeder.CreateConfig("linux", "arm64", [armLayer]));
        var index = await seeder.PushIndexAsync(repository, tag, [amd64, arm64]);

        byte[] empty = "{}"u8.ToArray();
        byte[] signature = Encoding.UTF8.GetBytes($"signature over {index}");
        var emptyDigest = await seeder.PushBlobAsync(repository, empty);
        var signatureBlob = await seeder.PushBlobAsync(repository, signature);
        var indexSize = (await registry.Client.GetByteArrayAsync($"/v2/{repository}/manifests/{index}")).Length;
        var manifest = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"{{ManifestMediaTypes.OciManifest}}","artifactType":"{{SignatureType}}",
             "config":{"mediaType":"{{ManifestMediaTypes.OciEmpty}}","digest":"{{emptyDigest}}","size":2},
             "layers":[{"mediaType":"application/octet-stream","digest":"{{signatureBlob}}","size":{{signature.Length}}}],
             "subject":{"mediaType":"{{ManifestMediaTypes.OciIndex}}","digest":"{{index}}","size":{{indexSize}} } }
            """);
        var signatureManifest = await seeder.PushManifestAsync(repository, null, manifest, ManifestMediaTypes.OciManifest);
        return new SignedIndex(index, amd64.ManifestDigest, arm64.ManifestDigest, signatureManifest,
            [.. amd64.LayerDigests, amd64.ConfigDigest, .. arm64.LayerDigests, arm64.ConfigDigest, emptyDigest, signatureBlob]);
    }
}
