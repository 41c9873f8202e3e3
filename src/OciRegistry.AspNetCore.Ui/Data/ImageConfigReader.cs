using System.Text.Json;

namespace OciRegistry.AspNetCore.Ui.Data;

/// <summary>Reads the parts of an OCI/Docker image config the image page shows; anything missing or odd is left out.</summary>
internal static class ImageConfigReader
{
    public static ImageConfig? Read(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var config = root.TryGetProperty("config", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
            return new ImageConfig(
                PlatformOf(root),
                DateOf(root, "created"),
                Strings(config, "Entrypoint"),
                Strings(config, "Cmd"),
                Strings(config, "Env"),
                Labels(config),
                StringOf(config, "WorkingDir"),
                StringOf(config, "User"),
                Keys(config, "ExposedPorts"),
                History(root));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? PlatformOf(JsonElement root)
    {
        var os = StringOf(root, "os");
        var architecture = StringOf(root, "architecture");
        if (os is null && architecture is null)
        {
            return null;
        }

        var platform = $"{os}/{architecture}";
        return StringOf(root, "variant") is { Length: > 0 } variant ? $"{platform}/{variant}" : platform;
    }

    private static IReadOnlyList<HistoryEntry> History(JsonElement root)
    {
        if (!root.TryGetProperty("history", out var history) || history.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return [.. history.EnumerateArray()
            .Where(step => step.ValueKind == JsonValueKind.Object)
            .Select(step => new HistoryEntry(
                DateOf(step, "created"),
                StringOf(step, "created_by"),
                StringOf(step, "comment"),
                step.TryGetProperty("empty_layer", out var empty) && empty.ValueKind == JsonValueKind.True))];
    }

    private static IReadOnlyList<KeyValuePair<string, string>> Labels(JsonElement config)
    {
        if (config.ValueKind != JsonValueKind.Object || !config.TryGetProperty("Labels", out var labels) || labels.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        return [.. labels.EnumerateObject()
            .Where(label => label.Value.ValueKind == JsonValueKind.String)
            .Select(label => KeyValuePair.Create(label.Name, label.Value.GetString()!))
            .OrderBy(label => label.Key, StringComparer.Ordinal)];
    }

    private static IReadOnlyList<string> Strings(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? [.. array.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.String).Select(item => item.GetString()!)]
            : [];

    private static IReadOnlyList<string> Keys(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var map) && map.ValueKind == JsonValueKind.Object
            ? [.. map.EnumerateObject().Select(property => property.Name)]
            : [];

    private static string? StringOf(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static DateTimeOffset? DateOf(JsonElement parent, string name) =>
        StringOf(parent, name) is { } text && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var date) ? date : null;
}
