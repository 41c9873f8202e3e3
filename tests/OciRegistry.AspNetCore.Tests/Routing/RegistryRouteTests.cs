using OciRegistry.AspNetCore.Routing;

namespace OciRegistry.AspNetCore.Tests.Routing;

public sealed class RegistryRouteTests
{
    [Theory]
    [InlineData("", "Base", "", "")]
    [InlineData("_catalog", "Catalog", "", "")]
    [InlineData("library/alpine/tags/list", "Tags", "library/alpine", "")]
    [InlineData("a/b/c/manifests/latest", "Manifest", "a/b/c", "latest")]
    [InlineData("repo/manifests/sha256:abc", "Manifest", "repo", "sha256:abc")]
    [InlineData("repo/blobs/sha256:abc", "Blob", "repo", "sha256:abc")]
    [InlineData("repo/blobs/uploads/", "UploadStart", "repo", "")]
    [InlineData("repo/blobs/uploads", "UploadStart", "repo", "")]
    [InlineData("org/repo/blobs/uploads/0f3a", "UploadSession", "org/repo", "0f3a")]
    [InlineData("repo/referrers/sha256:abc", "Referrers", "repo", "sha256:abc")]
    public void Parse_RecognisesEndpoints(string path, string kind, string repository, string argument) =>
        Assert.Equal(new RegistryRoute(Enum.Parse<RouteKind>(kind), repository, argument), RegistryRoute.Parse(path));

    [Theory]
    [InlineData("manifests/latest/extra")]
    [InlineData("repo")]
    [InlineData("repo/manifests/")]
    [InlineData("/manifests/latest")]
    [InlineData("repo/other/latest")]
    [InlineData("repo/uploads/id")]
    public void Parse_RejectsOtherPaths(string path) =>
        Assert.Equal(RouteKind.Unknown, RegistryRoute.Parse(path).Kind);

    [Fact]
    public void Parse_TakesEndpointFromTheRight_WhenTheNameContainsEndpointWords()
    {
        // A repository may itself be called "manifests" or "blobs".
        Assert.Equal(new RegistryRoute(RouteKind.Manifest, "blobs/manifests", "v1"), RegistryRoute.Parse("blobs/manifests/manifests/v1"));
        Assert.Equal(new RegistryRoute(RouteKind.Tags, "tags/list", ""), RegistryRoute.Parse("tags/list/tags/list"));
    }
}
