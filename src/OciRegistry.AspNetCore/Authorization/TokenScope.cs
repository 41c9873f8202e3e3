namespace OciRegistry.AspNetCore.Authorization;

/// <summary>One requested scope of a token request: <c>repository:team/app:pull,push</c> or <c>registry:catalog:*</c>.</summary>
internal readonly record struct TokenScope(string Type, string Name, string[] Actions)
{
    /// <summary>Reads every <c>scope</c> query value (each may hold several scopes separated by spaces); malformed ones are dropped.</summary>
    public static List<TokenScope> ParseAll(IEnumerable<string?> values)
    {
        var scopes = new List<TokenScope>();
        foreach (var value in values)
        {
            foreach (var text in (value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var first = text.IndexOf(':', StringComparison.Ordinal);
                var last = text.LastIndexOf(':');
                if (first > 0 && last > first + 1 && last < text.Length - 1)
                {
                    scopes.Add(new TokenScope(text[..first], text[(first + 1)..last], text[(last + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries)));
                }
            }
        }

        return scopes;
    }

    /// <summary>The requested actions that <paramref name="user"/> may do according to <paramref name="access"/>.</summary>
    public List<string> Grantable(AccessControlList access, string? user)
    {
        var granted = new List<string>();
        if (Type == "registry" && Name == "catalog")
        {
            if (Actions.Contains("*") && access.Allows(user, null, RegistryAction.Catalog))
            {
                granted.Add("*");
            }

            return granted;
        }

        if (Type != "repository")
        {
            return granted;
        }

        foreach (var name in Actions.Distinct())
        {
            if (RegistryActions.TryParse(name, out var action) && action != RegistryAction.Catalog && access.Allows(user, Name, action))
            {
                granted.Add(name);
            }
        }

        return granted;
    }
}
