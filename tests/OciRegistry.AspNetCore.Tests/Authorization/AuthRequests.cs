using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OciRegistry.Storage.FileSystem;
using OciRegistry.Testing;

namespace OciRegistry.AspNetCore.Tests.Authorization;

/// <summary>Requests with credentials, image pushes, and checks of what a registry's data folder holds.</summary>
internal static class AuthRequests
{
    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    public static string DigestOf(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public static async Task<HttpResponseMessage> SendAsync(
        InProcessRegistry registry, HttpMethod method, string path, AuthenticationHeaderValue? auth, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = auth;
        return await registry.Client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PushBlobAsync(InProcessRegistry registry, string repository, byte[] blob, AuthenticationHeaderValue? auth)
    {
        var content = new ByteArrayContent(blob);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return SendAsync(registry, HttpMethod.Post, $"/v2/{repository}/blobs/uploads/?digest={DigestOf(blob)}", auth, content);
    }

    /// <summary>Pushes a config, a layer and a manifest tagged <paramref name="tag"/>; returns the first refusal or the manifest's answer.</summary>
    public static async Task<HttpResponseMessage> PushImageAsync(InProcessRegistry registry, string repository, string tag, AuthenticationHeaderValue? auth, byte[]? layer = null)
    {
        var config = Encoding.UTF8.GetBytes("{}");
        layer ??= Encoding.UTF8.GetBytes("layer of " + repository);
        foreach (var blob in new[] { config, layer })
        {
            var pushed = await PushBlobAsync(registry, repository, blob, auth);
            if (!pushed.IsSuccessStatusCode)
            {
                return pushed;
            }
        }

        var manifest = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{DigestOf(config)}}","size":{{config.Length}}},
             "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{DigestOf(layer)}}","size":{{layer.Length}}}]}
            """);
        var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
        return await SendAsync(registry, HttpMethod.Put, $"/v2/{repository}/manifests/{tag}", auth, content);
    }

    public static async Task<string> ErrorCodeAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("errors")[0].GetProperty("code").GetString()!;
    }

    public static string DataFolder(InProcessRegistry registry) =>
        registry.Services.GetRequiredService<IOptions<FileSystemStorageOptions>>().Value.RootPath;

    /// <summary>Every file under the registry's data folder, relative, sorted: a snapshot to prove a request wrote nothing.</summary>
    public static string[] FilesOf(InProcessRegistry registry)
    {
        var root = DataFolder(registry);
        return Directory.Exists(root)
            ? Directory.GetFileSystemEntries(root, "*", SearchOption.AllDirectories).Select(path => Path.GetRelativePath(root, path)).Order(StringComparer.Ordinal).ToArray()
            : [];
    }

    /// <summary>Writes an htpasswd file of bcrypt hashes (cost 4, to keep tests quick) in <paramref name="folder"/>.</summary>
    public static string WriteHtpasswd(string folder, params (string User, string Password)[] users)
    {
        var path = Path.Combine(folder, "htpasswd");
        var lines = users.Select((user, index) =>
        {
            var hash = BCrypt.Net.BCrypt.HashPassword(user.Password, workFactor: 4);
            // htpasswd -B writes $2y$; BCrypt.Net writes $2a$: cover both.
            return $"{user.User}:{(index % 2 == 0 ? "$2y$" + hash[4..] : hash)}";
        });
        File.WriteAllLines(path, lines);
        return path;
    }
}
