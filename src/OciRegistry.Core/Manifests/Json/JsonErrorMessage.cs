using System.Text.Json;

namespace OciRegistry.Core.Manifests.Json;

/// <summary>Rewrites a <see cref="JsonException"/> into a message for the client: where it happened, without internal type names.</summary>
internal static class JsonErrorMessage
{
    private static readonly (string Internal, string Friendly)[] TypeNames =
    [
        (typeof(ManifestJson).FullName!, "manifest"),
        (typeof(DescriptorJson).FullName!, "descriptor"),
        (typeof(PlatformJson).FullName!, "platform"),
    ];

    /// <summary>
    /// <c>malformed JSON at $.path (line L, byte B): reason</c>, the position 1-based, the reason being the exception's
    /// message up to its own position suffix, and the DTO type names replaced by what they stand for.
    /// </summary>
    public static string From(JsonException exception)
    {
        var reason = exception.Message;
        var suffix = reason.IndexOf(" Path: ", StringComparison.Ordinal);
        if (suffix >= 0)
        {
            reason = reason[..suffix];
        }

        foreach (var (internalName, friendly) in TypeNames)
        {
            reason = reason.Replace(internalName, friendly, StringComparison.Ordinal);
        }

        return exception.LineNumber is { } line && exception.BytePositionInLine is { } position
            ? $"malformed JSON at {exception.Path ?? "$"} (line {line + 1}, byte {position + 1}): {reason}"
            : $"malformed JSON at {exception.Path ?? "$"}: {reason}";
    }
}
