using System.Text.Json;

namespace OciRegistry.AspNetCore.Authorization;

/// <summary>
/// What a validated token allows: its <c>access</c> claim, an array of
/// <c>{"type":"repository","name":"team/app","actions":["pull","push"]}</c> (and <c>registry</c>/<c>catalog</c>).
/// </summary>
internal sealed class TokenGrant
{
    private readonly HashSet<(string Type, string Name, string Action)> _granted = [];

    /// <summary>Reads the <c>access</c> claim from a JWT payload; anything malformed grants nothing.</summary>
    public static TokenGrant FromPayload(ReadOnlySpan<byte> payloadJson)
    {
        var grant = new TokenGrant();
        try
        {
            using var document = JsonDocument.Parse(payloadJson.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            if (!document.RootElement.TryGetProperty("access", out var access) || access.ValueKind != JsonValueKind.Array)
            {
                return grant;
            }

            foreach (var entry in access.EnumerateArray())
            {
                if (entry.ValueKind == JsonValueKind.Object
                    && entry.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                    && entry.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                    && entry.TryGetProperty("actions", out var actions) && actions.ValueKind == JsonValueKind.Array)
                {
                    foreach (var action in actions.EnumerateArray())
                    {
                        if (action.ValueKind == JsonValueKind.String)
                        {
                            grant._granted.Add((type.GetString()!, name.GetString()!, action.GetString()!));
                        }
                    }
                }
            }
        }
        catch (JsonException)
        {
            grant._granted.Clear();
        }

        return grant;
    }

    public bool Allows(RegistryResource resource)
    {
        if (resource.Action == RegistryAction.Catalog)
        {
            return _granted.Contains(("registry", "catalog", "*"));
        }

        if (resource.Repository is null)
        {
            return true;
        }

        var action = RegistryActions.NameOf(resource.Action);
        return _granted.Contains(("repository", resource.Repository, action)) || _granted.Contains(("repository", resource.Repository, "*"));
    }
}
