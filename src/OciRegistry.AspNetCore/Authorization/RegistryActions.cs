namespace OciRegistry.AspNetCore.Authorization;

/// <summary>The wire names of <see cref="RegistryAction"/>s in access lists and token scopes.</summary>
internal static class RegistryActions
{
    public static bool TryParse(string name, out RegistryAction action)
    {
        switch (name.Trim().ToLowerInvariant())
        {
            case "pull":
                action = RegistryAction.Pull;
                return true;
            case "push":
                action = RegistryAction.Push;
                return true;
            case "delete":
                action = RegistryAction.Delete;
                return true;
            case "catalog":
                action = RegistryAction.Catalog;
                return true;
            default:
                action = default;
                return false;
        }
    }

    public static string NameOf(RegistryAction action) => action switch
    {
        RegistryAction.Push => "push",
        RegistryAction.Delete => "delete",
        RegistryAction.Catalog => "catalog",
        _ => "pull",
    };
}
