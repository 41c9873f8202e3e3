using System.Net;
using System.Net.Http.Headers;

namespace IntegrationTests.CodeUnderTest;

/// <summary>
/// The code under test: a small piece of an app that pins an image tag to its digest (as a deployment tool does
/// before rolling out), by asking the registry with <c>HEAD /v2/&lt;repository&gt;/manifests/&lt;tag&gt;</c>.
/// </summary>
public sealed class ImageTagResolver(HttpClient registry)
{
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ];

    /// <summary>The digest <paramref name="tag"/> points at, e.g. <c>sha256:…</c>; null when the tag does not exist.</summary>
    public async Task<string?> ResolveAsync(string repository, string tag, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, new Uri($"v2/{repository}/manifests/{tag}", UriKind.Relative));
        foreach (var type in ManifestTypes)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        using var response = await registry.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return response.Headers.TryGetValues("Docker-Content-Digest", out var digests)
            ? digests.Single()
            : throw new InvalidOperationException($"The registry sent no Docker-Content-Digest for {repository}:{tag}.");
    }
}
