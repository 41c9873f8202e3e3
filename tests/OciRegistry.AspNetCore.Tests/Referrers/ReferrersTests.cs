using System.Net;
using System.Text.Json;
using OciRegistry.AspNetCore.Tests.Support;
using OciRegistry.Core.Manifests;

namespace OciRegistry.AspNetCore.Tests.Referrers;

public sealed class ReferrersTests
{
    private const string Signature = "application/vnd.example.signature";
    private const string Sbom = "application/vnd.example.sbom";

    [Fact]
    public async Task DigestWithoutReferrers_AnswersAnEmptyIndex()
    {
        await using var registry = await Registries.StartAsync();
        var (digest, _) = await Registries.ClientOf(registry).PushImageAsync("app", "v1");

        foreach (var subject in new[] { digest, RegistryClient.DigestOf([42]) })
        {
            using var response = await registry.Client.GetAsync($"/v2/app/referrers/{subject}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(ManifestMediaTypes.OciIndex, response.Content.Headers.ContentType!.MediaType);
            using var index = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(2, index.RootElement.GetProperty("schemaVersion").GetInt32());
            Assert.Equal(ManifestMediaTypes.OciIndex, index.RootElement.GetProperty("mediaType").GetString());
            Assert.Equal(0, index.RootElement.GetProperty("manifests").GetArrayLength());
            Assert.False(response.Headers.Contains("OCI-Filters-Applied"));
        }
    }

    [Theory]
    [MemberData(nameof(Registries.Stores), MemberType = typeof(Registries))]
    public async Task ArtifactsWithSubject_AreListed_WithArtifactTypeAndAnnotations(bool fileSystem)
    {
        await using var registry = await Registries.StartAsync(fileSystem);
        var (subject, signature, sbom) = await PushSubjectWithTwoReferrersAsync(Registries.ClientOf(registry));

        using var response = await registry.Client.GetAsync($"/v2/app/referrers/{subject}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ManifestMediaTypes.OciIndex, response.Content.Headers.ContentType!.MediaType);
        var manifests = Manifests(await response.Content.ReadAsStringAsync());
        Assert.Equal(2, manifests.Count);

        var listedSignature = manifests.Single(m => m.GetProperty("digest").GetString() == signature.Digest);
        Assert.Equal(Signature, listedSignature.GetProperty("artifactType").GetString());
        Assert.Equal(ManifestMediaTypes.OciManifest, listedSignature.GetProperty("mediaType").GetString());
        Assert.Equal(signature.Manifest.Length, listedSignature.GetProperty("size").GetInt64());
        Assert.Equal("alice", listedSignature.GetProperty("annotations").GetProperty("org.example.signer").GetString());

        var listedSbom = manifests.Single(m => m.GetProperty("digest").GetString() == sbom.Digest);
        Assert.Equal(Sbom, listedSbom.GetProperty("artifactType").GetString());
        Assert.Equal("spdx", listedSbom.GetProperty("annotations").GetProperty("org.example.format").GetString());
    }

    [Fact]
    public async Task ArtifactTypeFilter_ListsOnlyThatType_AndSaysItWasApplied()
    {
        await using var registry = await Registries.StartAsync();
        var (subject, _, sbom) = await PushSubjectWithTwoReferrersAsync(Registries.ClientOf(registry));

        using var response = await registry.Client.GetAsync($"/v2/app/referrers/{subject}?artifactType={Uri.EscapeDataString(Sbom)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("artifactType", response.Headers.GetValues("OCI-Filters-Applied").Single());
        Assert.Equal(ManifestMediaTypes.OciIndex, response.Content.Headers.ContentType!.MediaType);
        var manifests = Manifests(await response.Content.ReadAsStringAsync());
        Assert.Equal(sbom.Digest, Assert.Single(manifests).GetProperty("digest").GetString());
    }

    [Theory]
    [MemberData(nameof(Registries.Stores), MemberType = typeof(Registries))]
    public async Task DeletedReferrer_IsNoLongerListed(bool fileSystem)
    {
        await using var registry = await Registries.StartAsync(fileSystem);
        var (subject, signature, sbom) = await PushSubjectWithTwoReferrersAsync(Registries.ClientOf(registry));

        using (var deleted = await registry.Client.DeleteAsync($"/v2/app/manifests/{signature.Digest}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        }

        using var response = await registry.Client.GetAsync($"/v2/app/referrers/{subject}");
        var manifests = Manifests(await response.Content.ReadAsStringAsync());
        Assert.Equal(sbom.Digest, Assert.Single(manifests).GetProperty("digest").GetString());
    }

    [Fact]
    public async Task Referrers_AreScopedToTheRepository()
    {
        await using var registry = await Registries.StartAsync();
        var (subject, _, _) = await PushSubjectWithTwoReferrersAsync(Registries.ClientOf(registry));
        await Registries.ClientOf(registry).PushImageAsync("elsewhere", "v1");

        using var response = await registry.Client.GetAsync($"/v2/elsewhere/referrers/{subject}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(Manifests(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task InvalidDigest_Answers400DigestInvalid()
    {
        await using var registry = await Registries.StartAsync();
        await ErrorAssert.HasErrorAsync(registry.Client.GetAsync("/v2/app/referrers/latest"), HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    private static List<JsonElement> Manifests(string index)
    {
        using var json = JsonDocument.Parse(index);
        return json.RootElement.GetProperty("manifests").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static async Task<(string Subject, (string Digest, byte[] Manifest) Signature, (string Digest, byte[] Manifest) Sbom)> PushSubjectWithTwoReferrersAsync(RegistryClient client)
    {
        var (subjectDigest, subjectManifest) = await client.PushImageAsync("app", "v1");
        var subject = Support.Manifests.DescribeManifest(subjectManifest);
        var signature = await client.PushImageAsync("app", "signature", "sig", subject, Signature, new Dictionary<string, string> { ["org.example.signer"] = "alice" });
        var sbom = await client.PushImageAsync("app", "sbom", "sbom", subject, Sbom, new Dictionary<string, string> { ["org.example.format"] = "spdx" });
        await client.PushImageAsync("app", "unrelated", "other");
        return (subjectDigest, signature, sbom);
    }
}
