using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OciRegistry.AspNetCore.Http;

namespace OciRegistry.AspNetCore.Tests.Http;

public sealed class DotSegmentsTests
{
    [Theory]
    [InlineData("/v2/a/../b/blobs/uploads/")]
    [InlineData("/v2/a/./b/tags/list")]
    [InlineData("/v2/a/%2e%2e/b/manifests/v1")]
    [InlineData("/v2/a/%2E./b/manifests/v1")]
    [InlineData("/v2/a/.%2e/b/manifests/v1")]
    [InlineData("/v2/a/%2e/b/manifests/v1")]
    [InlineData("/v2/repo/manifests/..")]
    public void Finds_DotSegments(string rawTarget) =>
        Assert.Equal(rawTarget, DotSegments.FindInRawPath(ContextWith(rawTarget + "?n=1")));

    [Theory]
    [InlineData("/v2/a.b/c..d/manifests/v1.0")]
    [InlineData("/v2/repo/manifests/...")]
    [InlineData("/v2/repo/tags/list?last=..")]
    [InlineData("/v2/a%2Fb/manifests/latest")]
    [InlineData("")]
    public void Ignores_DotsInsideNamesAndQueries(string rawTarget) =>
        Assert.Null(DotSegments.FindInRawPath(ContextWith(rawTarget)));

    private static DefaultHttpContext ContextWith(string rawTarget)
    {
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;
        return context;
    }
}
