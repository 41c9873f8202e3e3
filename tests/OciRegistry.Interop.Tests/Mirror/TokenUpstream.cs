using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OciRegistry.AspNetCore.Authorization;
using OciRegistry.Testing;

namespace OciRegistry.Interop.Tests.Mirror;

/// <summary>
/// Our own registry in token mode (built-in token server, htpasswd users) as a mirror's upstream: anonymous clients may
/// pull <c>public/*</c>, the publisher may push anything; <see cref="SeederForAsync"/> pushes as the publisher.
/// </summary>
internal sealed class TokenUpstream : IAsyncDisposable
{
    public const string Publisher = "publisher";
    public const string PublisherPassword = "publisher-secret";

    private readonly DirectoryInfo _folder;

    private TokenUpstream(InProcessRegistry registry, DirectoryInfo folder)
    {
        Registry = registry;
        _folder = folder;
    }

    public InProcessRegistry Registry { get; }

    public static async Task<TokenUpstream> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("token-upstream-");
        var htpasswd = Path.Combine(folder.FullName, "htpasswd");
        await File.WriteAllTextAsync(htpasswd, $"{Publisher}:{BCrypt.Net.BCrypt.HashPassword(PublisherPassword, workFactor: 4)}\n");
        var registry = await InProcessRegistry.StartAsync(o =>
        {
            o.Services = services => services.AddOciRegistry()
                .AddTokenAuthentication()
                .AddTokenServer(server =>
                {
                    server.HtpasswdPath = htpasswd;
                    server.Access.Add(new AccessRule { User = Publisher, Repositories = "*", Actions = ["*"] });
                    server.Access.Add(new AccessRule { User = "*", Repositories = "public/*", Actions = ["pull"] });
                });
            o.App = app => app.MapOciRegistryTokenEndpoint();
        });
        return new TokenUpstream(registry, folder);
    }

    /// <summary>A seeder that pushes into <paramref name="repository"/> with a token the token server issued to the publisher.</summary>
    public async Task<RegistrySeeder> SeederForAsync(string repository)
    {
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, $"/token?service=oci-registry&scope=repository:{repository}:pull,push");
        tokenRequest.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Publisher}:{PublisherPassword}")));
        using var response = await Registry.Client.SendAsync(tokenRequest);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var client = new HttpClient { BaseAddress = Registry.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.RootElement.GetProperty("token").GetString());
        return new RegistrySeeder(client);
    }

    public async ValueTask DisposeAsync()
    {
        await Registry.DisposeAsync();
        _folder.Delete(recursive: true);
    }
}
