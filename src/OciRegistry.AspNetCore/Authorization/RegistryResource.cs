namespace OciRegistry.AspNetCore.Authorization;

/// <summary>
/// The resource a registry request is authorized against: a repository and an action, or the catalog. This is
/// the resource passed to <c>IAuthorizationService</c>, so host policies can inspect it.
/// </summary>
/// <param name="Repository">The repository name; null for the catalog and the base endpoint.</param>
/// <param name="Action">The action.</param>
public sealed record RegistryResource(string? Repository, RegistryAction Action)
{
    /// <summary>
    /// The resource for <c>GET /v2/</c>: using the registry at all. Anonymous callers of a protected registry are
    /// challenged here, which is how clients learn they must log in.
    /// </summary>
    public static RegistryResource Base { get; } = new(null, RegistryAction.Pull);

    /// <summary>The resource for <c>GET /v2/_catalog</c>.</summary>
    public static RegistryResource Catalog { get; } = new(null, RegistryAction.Catalog);

    /// <summary>The Docker token scope naming this resource, e.g. <c>repository:library/alpine:pull</c> or <c>registry:catalog:*</c>.</summary>
    public string Scope => Action == RegistryAction.Catalog
        ? "registry:catalog:*"
        : $"repository:{Repository}:{Action switch { RegistryAction.Push => "pull,push", RegistryAction.Delete => "delete", _ => "pull" }}";
}
