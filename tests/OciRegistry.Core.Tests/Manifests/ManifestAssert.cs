using System.Text;
using OciRegistry.Core.Errors;
using OciRegistry.Core.Manifests;

namespace OciRegistry.Core.Tests.Manifests;

/// <summary>Parsing from text, and assertions on the outcome.</summary>
internal static class ManifestAssert
{
    public static RegistryResult<Manifest> Parse(string json, string? contentType = null, int maxBytes = ManifestParser.DefaultMaxBytes) =>
        ManifestParser.Parse(Encoding.UTF8.GetBytes(json), contentType, maxBytes);

    public static Manifest Valid(string json, string? contentType = null)
    {
        var result = Parse(json, contentType);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value;
    }

    /// <summary>Asserts MANIFEST_INVALID with a message containing <paramref name="expectedMessagePart"/>.</summary>
    public static RegistryError Invalid(RegistryResult<Manifest> result, string expectedMessagePart)
    {
        Assert.False(result.IsSuccess, "expected MANIFEST_INVALID, the manifest was accepted");
        Assert.Equal(RegistryErrorCode.ManifestInvalid, result.Error.Code);
        Assert.Contains(expectedMessagePart, result.Error.Message, StringComparison.Ordinal);
        return result.Error;
    }

    public static RegistryError Invalid(string json, string expectedMessagePart, string? contentType = null) =>
        Invalid(Parse(json, contentType), expectedMessagePart);
}
