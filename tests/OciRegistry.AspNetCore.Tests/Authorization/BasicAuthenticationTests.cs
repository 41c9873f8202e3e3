using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.AspNetCore.Authorization;
using OciRegistry.Testing;
using static OciRegistry.AspNetCore.Tests.Authorization.AuthRequests;

namespace OciRegistry.AspNetCore.Tests.Authorization;

public sealed class BasicAuthenticationTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("oci-basic-").FullName;
    private InProcessRegistry _registry = null!;

    private static readonly System.Net.Http.Headers.AuthenticationHeaderValue Alice = Basic("alice", "alice-secret");
    private static readonly System.Net.Http.Headers.AuthenticationHeaderValue Bob = Basic("bob", "bob-secret");
    private static readonly System.Net.Http.Headers.AuthenticationHeaderValue Carol = Basic("carol", "carol-secret");
    private static readonly System.Net.Http.Headers.AuthenticationHeaderValue Dave = Basic("dave", "dave-secret");

    public async Task InitializeAsync()
    {
        var htpasswd = WriteHtpasswd(_folder, ("alice", "alice-secret"), ("bob", "bob-secret"), ("carol", "carol-secret"), ("dave", "dave-secret"));
        _registry = await InProcessRegistry.StartAsync(o =>
        {
            o.UseFileSystem = true;
            o.Services = services => services.AddOciRegistry().AddBasicAuthentication(basic =>
            {
                basic.Realm = "Test Registry";
                basic.HtpasswdPath = htpasswd;
                basic.Access.Add(new AccessRule { User = "alice", Repositories = "team/*", Actions = ["pull", "push", "delete"] });
                basic.Access.Add(new AccessRule { User = "alice", Repositories = "public/*", Actions = ["push"] });
                basic.Access.Add(new AccessRule { User = "bob", Repositories = "team/*", Actions = ["pull"] });
                basic.Access.Add(new AccessRule { User = "bob", Repositories = "bob/*", Actions = ["pull", "push"] });
                basic.Access.Add(new AccessRule { User = "carol", Repositories = "public/*", Actions = ["catalog", "pull"] });
                basic.Access.Add(new AccessRule { User = "dave", Repositories = "dave/*", Actions = ["pull", "push"] });
                basic.Access.Add(new AccessRule { User = "*", Repositories = "public/*", Actions = ["pull"] });
            });
        });
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Base_ChallengesAnonymousCallers_WithBasicRealm()
    {
        using var response = await SendAsync(_registry, HttpMethod.Get, "/v2/", auth: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("UNAUTHORIZED", await ErrorCodeAsync(response));
        Assert.StartsWith("Basic realm=\"Test Registry\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Base_AnswersSignedInUsers()
    {
        using var response = await SendAsync(_registry, HttpMethod.Get, "/v2/", Bob);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("alice", "wrong")]
    [InlineData("mallory", "alice-secret")]
    [InlineData("alice", "")]
    public async Task Rejects_WrongCredentials_WithChallenge(string user, string password)
    {
        using var response = await SendAsync(_registry, HttpMethod.Get, "/v2/team/app/tags/list", Basic(user, password));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Basic realm=", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Basic !!!notbase64")]
    [InlineData("Basic bm9jb2xvbg==")]
    [InlineData("Digest username=alice")]
    public async Task Rejects_MalformedAuthorization_WithChallenge(string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/public/app/tags/list");
        request.Headers.TryAddWithoutValidation("Authorization", header);
        using var response = await _registry.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AllowedUser_PushesAndPulls()
    {
        using var pushed = await PushImageAsync(_registry, "team/app", "1.0", Alice);
        using var pulled = await SendAsync(_registry, HttpMethod.Get, "/v2/team/app/manifests/1.0", Bob);

        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
    }

    [Fact]
    public async Task ReadOnlyUser_IsDeniedPush_AndNothingIsWritten()
    {
        var before = FilesOf(_registry);

        using var blob = await PushBlobAsync(_registry, "team/app", Encoding.UTF8.GetBytes("bob was here"), Bob);
        using var upload = await SendAsync(_registry, HttpMethod.Post, "/v2/team/app/blobs/uploads/", Bob);
        using var manifest = await PushImageAsync(_registry, "team/app", "bob", Bob);

        Assert.Equal(HttpStatusCode.Forbidden, blob.StatusCode);
        Assert.Equal("DENIED", await ErrorCodeAsync(blob));
        Assert.Equal(HttpStatusCode.Forbidden, upload.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, manifest.StatusCode);
        Assert.Equal(before, FilesOf(_registry));
    }

    [Fact]
    public async Task AnonymousCaller_IsChallengedForPush_AndNothingIsWritten()
    {
        var before = FilesOf(_registry);

        using var response = await PushImageAsync(_registry, "public/app", "anon", auth: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Basic realm=\"Test Registry\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, FilesOf(_registry));
    }

    [Fact]
    public async Task AnonymousCaller_PullsWhatStarRulesAllow_AndIsChallengedElsewhere()
    {
        using var pushed = await PushImageAsync(_registry, "public/app", "1.0", Alice);

        using var open = await SendAsync(_registry, HttpMethod.Get, "/v2/public/app/manifests/1.0", auth: null);
        using var closed = await SendAsync(_registry, HttpMethod.Get, "/v2/team/app/manifests/1.0", auth: null);

        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, closed.StatusCode);
    }

    [Fact]
    public async Task EmptyCredentials_AsPodmanAndSkopeoSendThem_AreAnonymous()
    {
        using var pushed = await PushImageAsync(_registry, "public/empty", "1.0", Alice);

        using var open = await SendAsync(_registry, HttpMethod.Get, "/v2/public/empty/manifests/1.0", new("Basic", "Og=="));
        using var closed = await SendAsync(_registry, HttpMethod.Get, "/v2/team/empty/manifests/1.0", new("Basic", "Og=="));

        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, closed.StatusCode);
        Assert.Contains("Basic realm=", closed.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedInUser_IsDeniedRepositoriesOutsideTheirRules()
    {
        using var response = await SendAsync(_registry, HttpMethod.Get, "/v2/other/app/tags/list", Bob);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("DENIED", await ErrorCodeAsync(response));
    }

    [Fact]
    public async Task Delete_NeedsDeletePermission()
    {
        using var pushed = await PushImageAsync(_registry, "team/del", "1.0", Alice);

        using var denied = await SendAsync(_registry, HttpMethod.Delete, "/v2/team/del/manifests/1.0", Bob);
        using var still = await SendAsync(_registry, HttpMethod.Get, "/v2/team/del/manifests/1.0", Bob);
        using var allowed = await SendAsync(_registry, HttpMethod.Delete, "/v2/team/del/manifests/1.0", Alice);

        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, allowed.StatusCode);
    }

    [Fact]
    public async Task Catalog_NeedsCatalogPermission_AndListsOnlyPullableRepositories()
    {
        (await PushImageAsync(_registry, "public/one", "1", Alice)).Dispose();
        (await PushImageAsync(_registry, "team/secret", "1", Alice)).Dispose();

        using var withoutCatalog = await SendAsync(_registry, HttpMethod.Get, "/v2/_catalog", Bob);
        using var anonymous = await SendAsync(_registry, HttpMethod.Get, "/v2/_catalog", auth: null);
        using var carol = await SendAsync(_registry, HttpMethod.Get, "/v2/_catalog", Carol);

        Assert.Equal(HttpStatusCode.Forbidden, withoutCatalog.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, carol.StatusCode);
        using var json = JsonDocument.Parse(await carol.Content.ReadAsStringAsync());
        var names = json.RootElement.GetProperty("repositories").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(new[] { "public/one" }, names);
    }

    [Fact]
    public async Task Mount_FromRepositoryTheCallerCanPull_LinksTheBlob()
    {
        var layer = Encoding.UTF8.GetBytes("team layer");
        using var pushed = await PushImageAsync(_registry, "team/source", "1", Alice, layer);

        using var mount = await SendAsync(_registry, HttpMethod.Post, $"/v2/bob/copy/blobs/uploads/?mount={DigestOf(layer)}&from=team/source", Bob);

        Assert.Equal(HttpStatusCode.Created, mount.StatusCode);
    }

    [Fact]
    public async Task Mount_FromRepositoryTheCallerCannotPull_FallsBackToUpload_AndLinksNothing()
    {
        var layer = Encoding.UTF8.GetBytes("secret team layer");
        using var pushed = await PushImageAsync(_registry, "team/secret", "1", Alice, layer);

        using var fromHidden = await SendAsync(_registry, HttpMethod.Post, $"/v2/dave/copy/blobs/uploads/?mount={DigestOf(layer)}&from=team/secret", Dave);
        using var withoutFrom = await SendAsync(_registry, HttpMethod.Post, $"/v2/dave/copy/blobs/uploads/?mount={DigestOf(layer)}", Dave);
        using var head = await SendAsync(_registry, HttpMethod.Head, $"/v2/dave/copy/blobs/{DigestOf(layer)}", Dave);

        Assert.Equal(HttpStatusCode.Accepted, fromHidden.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, withoutFrom.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }
}
