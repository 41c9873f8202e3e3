using System.Text;
using System.Text.Json.Nodes;
using OciRegistry.Interop.Tests.OciLayout;

namespace OciRegistry.Interop.Tests.Infrastructure;

/// <summary>Reads skopeo's output.</summary>
internal static class SkopeoJson
{
    /// <summary>The output of <c>skopeo inspect</c> / <c>list-tags</c> as JSON.</summary>
    public static JsonNode Parse(string output) => JsonNode.Parse(output)!;

    /// <summary>The digest of the bytes <c>skopeo inspect --raw</c> printed.</summary>
    public static string DigestOfRaw(string output) => OciDescriptor.DigestOf(Encoding.UTF8.GetBytes(output));

    /// <summary>The strings of a JSON array.</summary>
    public static IReadOnlyList<string> Strings(JsonNode? array) => [.. array!.AsArray().Select(item => item!.GetValue<string>())];
}
