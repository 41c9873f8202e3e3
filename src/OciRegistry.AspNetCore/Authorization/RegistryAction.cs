namespace OciRegistry.AspNetCore.Authorization;

/// <summary>What a request does to a repository, as in Docker token scopes (<c>repository:name:pull,push</c>).</summary>
public enum RegistryAction
{
    /// <summary>Read manifests, blobs, tags and referrers.</summary>
    Pull,

    /// <summary>Upload blobs, push manifests and tags, mount into the repository.</summary>
    Push,

    /// <summary>Delete manifests, tags and blobs.</summary>
    Delete,

    /// <summary>List the registry's repositories (<c>registry:catalog:*</c>).</summary>
    Catalog,
}
