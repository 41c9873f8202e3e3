using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OciRegistry.Mirror.Upstreams;

/// <summary>
/// Answers an upstream's challenges the way Docker clients do: a fixed bearer token or basic credentials when
/// configured, otherwise the token flow (<c>WWW-Authenticate: Bearer realm=…,service=…,scope=…</c> → the realm's token,
/// anonymous or with the credentials), cached per scope until it expires, so one token serves many requests.
/// </summary>
internal sealed partial class UpstreamAuthenticationHandler(UpstreamOptions options) : DelegatingHandler
{
    private static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromSeconds(60);
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> _tokens = new(StringComparer.Ordinal);
    private volatile bool _basicChallenged;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (options.BearerToken is { Length: > 0 } fixedToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixedToken);
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var scopeKey = ScopeKey(request);
        if (_tokens.TryGetValue(scopeKey, out var cached) && cached.Expires > DateTimeOffset.UtcNow)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", cached.Token);
        }
        else if (_basicChallenged)
        {
            request.Headers.Authorization = BasicHeader();
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || response.Headers.WwwAuthenticate.FirstOrDefault() is not { } challenge)
        {
            return response;
        }

        AuthenticationHeaderValue? answer = null;
        if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && HasCredentials)
        {
            _basicChallenged = true;
            answer = BasicHeader();
        }
        else if (challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)
            && await FetchTokenAsync(Parameters(challenge.Parameter ?? ""), cancellationToken).ConfigureAwait(false) is { } token)
        {
            _tokens[scopeKey] = token;
            answer = new AuthenticationHeaderValue("Bearer", token.Token);
        }

        if (answer is null)
        {
            return response;
        }

        response.Dispose();
        request.Headers.Authorization = answer;
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private bool HasCredentials => !string.IsNullOrEmpty(options.Username);

    private AuthenticationHeaderValue BasicHeader() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}")));

    // Tokens are scoped to a repository: /v2/<repository>/{manifests,blobs,tags,referrers}/...
    private static string ScopeKey(HttpRequestMessage request)
    {
        var path = request.RequestUri?.AbsolutePath ?? "";
        foreach (var marker in (string[])["/manifests/", "/blobs/", "/tags/", "/referrers/"])
        {
            var at = path.LastIndexOf(marker, StringComparison.Ordinal);
            if (at > 0)
            {
                return path[..at];
            }
        }

        return path;
    }

    private async Task<(string Token, DateTimeOffset Expires)?> FetchTokenAsync(IReadOnlyDictionary<string, string> challenge, CancellationToken cancellationToken)
    {
        if (!challenge.TryGetValue("realm", out var realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri))
        {
            return null;
        }

        var query = new StringBuilder();
        foreach (var key in (string[])["service", "scope"])
        {
            if (challenge.TryGetValue(key, out var value))
            {
                query.Append(query.Length == 0 ? '?' : '&').Append(key).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(realmUri, realmUri.AbsolutePath + query));
        if (HasCredentials)
        {
            tokenRequest.Headers.Authorization = BasicHeader();
        }

        using var tokenResponse = await base.SendAsync(tokenRequest, cancellationToken).ConfigureAwait(false);
        if (!tokenResponse.IsSuccessStatusCode)
        {
            return null;
        }

        await using var body = await tokenResponse.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        var root = json.RootElement;
        var token = root.TryGetProperty("token", out var t) ? t.GetString() : root.TryGetProperty("access_token", out var a) ? a.GetString() : null;
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var lifetime = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) ? TimeSpan.FromSeconds(seconds) : DefaultTokenLifetime;
        return (token, DateTimeOffset.UtcNow + lifetime - TimeSpan.FromSeconds(5));
    }

    private static Dictionary<string, string> Parameters(string parameter) =>
        ChallengeParameter().Matches(parameter).ToDictionary(m => m.Groups[1].Value.ToLowerInvariant(), m => m.Groups[2].Value, StringComparer.Ordinal);

    [GeneratedRegex("(\\w+)=\"([^\"]*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex ChallengeParameter();
}
