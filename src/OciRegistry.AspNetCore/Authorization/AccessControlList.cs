using System.Text.RegularExpressions;

namespace OciRegistry.AspNetCore.Authorization;

/// <summary>Evaluates <see cref="AccessRule"/>s: compiled once, then asked per request for a user and a resource.</summary>
internal sealed class AccessControlList
{
    private readonly CompiledRule[] _rules;

    public AccessControlList(IEnumerable<AccessRule> rules)
    {
        _rules = rules.Select(Compile).ToArray();
    }

    /// <summary>Whether <paramref name="user"/> (null when anonymous) may act on <paramref name="resource"/>.</summary>
    public bool Allows(string? user, RegistryResource resource) => resource.Repository is null && resource.Action != RegistryAction.Catalog
        ? user is not null
        : Allows(user, resource.Repository, resource.Action);

    /// <summary>Whether <paramref name="user"/> may do <paramref name="action"/> on <paramref name="repository"/> (ignored for the catalog).</summary>
    public bool Allows(string? user, string? repository, RegistryAction action)
    {
        foreach (var rule in _rules)
        {
            if (rule.AppliesTo(user) && rule.Actions.Contains(action)
                && (action == RegistryAction.Catalog || (repository is not null && rule.Repositories.IsMatch(repository))))
            {
                return true;
            }
        }

        return false;
    }

    private static CompiledRule Compile(AccessRule rule, int index)
    {
        if (string.IsNullOrWhiteSpace(rule.User))
        {
            throw new InvalidOperationException($"OciRegistry:Auth:Access:{index}:User is required (a user name or *).");
        }

        var actions = new HashSet<RegistryAction>();
        foreach (var name in rule.Actions)
        {
            if (name == "*")
            {
                actions.UnionWith(Enum.GetValues<RegistryAction>());
            }
            else if (RegistryActions.TryParse(name, out var action))
            {
                actions.Add(action);
            }
            else
            {
                throw new InvalidOperationException(
                    $"OciRegistry:Auth:Access:{index}:Actions has '{name}'; expected pull, push, delete, catalog or *.");
            }
        }

        var pattern = "^" + Regex.Escape(rule.Repositories.Length == 0 ? "*" : rule.Repositories).Replace("\\*", ".*", StringComparison.Ordinal) + "$";
        return new CompiledRule(rule.User, new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking), actions);
    }

    private sealed record CompiledRule(string User, Regex Repositories, HashSet<RegistryAction> Actions)
    {
        public bool AppliesTo(string? user) =>
            User == AccessRule.Everyone || (user is not null && string.Equals(User, user, StringComparison.Ordinal));
    }
}
