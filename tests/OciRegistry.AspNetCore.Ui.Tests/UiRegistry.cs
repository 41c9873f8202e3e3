using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.AspNetCore.Authorization;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Maintenance;
using OciRegistry.Testing;

namespace OciRegistry.AspNetCore.Ui.Tests;

/// <summary>
/// A real registry on Kestrel with the web interface at <c>/ui</c>, HTTP Basic users from an htpasswd file and its
/// login form, seeded with a two-platform index signed by a referrer, a single-platform image and a repository only
/// some users may pull.
/// </summary>
public sealed class UiRegistry : IAsyncLifetime
{
    public const string SignatureType = "application/vnd.dev.cosign.artifact.sig.v1+json";

    private readonly string _folder = Directory.CreateTempSubdirectory("oci-ui-").FullName;

    public InProcessRegistry Registry { get; private set; } = null!;

    /// <summary>The index tagged <c>team/app:1.0</c> and the images it lists.</summary>
    public Digest Index { get; private set; }

    public SeededImage Amd64 { get; private set; } = null!;

    public SeededImage Arm64 { get; private set; } = null!;

    /// <summary>A single-platform image tagged <c>team/app:latest</c>, sharing a layer with <see cref="Amd64"/>, with <see cref="LatestConfig"/>.</summary>
    public SeededImage Latest { get; private set; } = null!;

    /// <summary>A config with an entrypoint, environment, labels and history.</summary>
    public static byte[] LatestConfig { get; } = JsonSerializer.SerializeToUtf8Bytes(new
    {
        architecture = "amd64",
        os = "linux",
        created = "2026-11-01T10:00:00Z",
        config = new
        {
            Entrypoint = new[] { "/usr/bin/server", "--port", "8080" },
            Env = new[] { "PATH=/usr/local/bin:/usr/bin", "MODE=production" },
            Labels = new Dictionary<string, string> { ["org.opencontainers.image.source"] = "https://example.test/team/app" },
        },
        rootfs = new { type = "layers", diff_ids = Array.Empty<string>() },
        history = new[] { new { created_by = "ADD base.tar /", empty_layer = false }, new { created_by = "COPY server /usr/bin/server", empty_layer = false } },
    });

    /// <summary>The signature whose subject is <see cref="Index"/>.</summary>
    public Digest Signature { get; private set; }

    /// <summary>Every user may pull <c>team/*</c> except <c>outsider</c>; only <c>admin</c> may delete; <c>nocatalog</c> may not list.</summary>
    public static IReadOnlyList<(string User, string Password)> Users { get; } =
        [("admin", "admin-secret"), ("reader", "reader-secret"), ("outsider", "outsider-secret"), ("nocatalog", "nocatalog-secret")];

    public static AuthenticationHeaderValue Basic(string user) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{Users.Single(u => u.User == user).Password}")));

    public async Task InitializeAsync()
    {
        var htpasswd = Path.Combine(_folder, "htpasswd");
        await File.WriteAllLinesAsync(htpasswd, Users.Select(u => $"{u.User}:{BCrypt.Net.BCrypt.HashPassword(u.Password, 4)}"));
        Registry = await InProcessRegistry.StartAsync(o =>
        {
            o.Services = services =>
            {
                services.AddOciRegistry().AddBasicAuthentication(basic =>
                {
                    basic.HtpasswdPath = htpasswd;
                    basic.Access.Add(new AccessRule { User = "admin", Repositories = "*", Actions = ["*"] });
                    basic.Access.Add(new AccessRule { User = "reader", Repositories = "*", Actions = ["pull", "catalog"] });
                    basic.Access.Add(new AccessRule { User = "outsider", Repositories = "other/*", Actions = ["pull", "catalog"] });
                    basic.Access.Add(new AccessRule { User = "nocatalog", Repositories = "*", Actions = ["pull"] });
                });
                services.Configure<GarbageCollectionOptions>(gc => gc.DeleteUntaggedManifests = true);
                services.AddOciRegistryUi();
                services.AddOciRegistryUiLogin((context, user, password) => ValueTask.FromResult(
                    context.RequestServices.GetRequiredService<IRegistryAuthorizer>() is BasicRegistryAuthorizer basic && basic.CheckPassword(user, password)));
            };
            o.App = app => app.MapOciRegistryUi("/ui");
        });

        using var admin = Client("admin");
        var seeder = new RegistrySeeder(admin);
        Amd64 = await seeder.PushImageAsync("team/app", null, [Layer("amd64 base", 3000), Layer("amd64 app", 1200)], RegistrySeeder.CreateConfig("linux", "amd64", []));
        Arm64 = await seeder.PushImageAsync("team/app", null, [Layer("arm64 base", 2800)], RegistrySeeder.CreateConfig("linux", "arm64", []));
        Index = await seeder.PushIndexAsync("team/app", "1.0", [Amd64, Arm64]);
        Latest = await seeder.PushImageAsync("team/app", "latest", [Layer("amd64 base", 3000), Layer("server", 700)], LatestConfig);
        Signature = await PushSignatureAsync(seeder, admin);
        await seeder.PushImageAsync("other/tool", "2.1", [Layer("tool", 512)]);
    }

    public async Task DisposeAsync()
    {
        await Registry.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A client of the registry sending <paramref name="user"/>'s Basic credentials (none when null).</summary>
    public HttpClient Client(string? user, bool followRedirects = false)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = followRedirects, UseCookies = true }) { BaseAddress = Registry.BaseAddress };
        if (user is not null)
        {
            client.DefaultRequestHeaders.Authorization = Basic(user);
        }

        return client;
    }

    private static byte[] Layer(string seed, int size) => [.. Enumerable.Range(0, size).Select(i => (byte)(seed[i % seed.Length] + i))];

    private async Task<Digest> PushSignatureAsync(RegistrySeeder seeder, HttpClient admin)
    {
        var empty = "{}"u8.ToArray();
        var emptyDigest = await seeder.PushBlobAsync("team/app", empty);
        var payload = Encoding.UTF8.GetBytes("""{"critical":{"identity":{"docker-reference":"team/app"}}}""");
        var payloadDigest = await seeder.PushBlobAsync("team/app", payload);
        var indexSize = (await admin.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/team/app/manifests/{Index}"))).Content.Headers.ContentLength!.Value;
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["artifactType"] = SignatureType,
            ["config"] = new { mediaType = "application/vnd.oci.empty.v1+json", digest = emptyDigest.ToString(), size = empty.Length },
            ["layers"] = new[] { new { mediaType = "application/vnd.dev.cosign.simplesigning.v1+json", digest = payloadDigest.ToString(), size = payload.Length } },
            ["subject"] = new { mediaType = "application/vnd.oci.image.index.v1+json", digest = Index.ToString(), size = indexSize },
        });
        return await seeder.PushManifestAsync("team/app", null, manifest, "application/vnd.oci.image.manifest.v1+json");
    }
}
