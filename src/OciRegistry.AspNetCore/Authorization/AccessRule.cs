namespace OciRegistry.AspNetCore.Authorization;

/// <summary>
/// One line of an access list: which <see cref="User"/> may do which <see cref="Actions"/> on which
/// <see cref="Repositories"/>. Bound from configuration, e.g.
/// <c>{ "User": "alice", "Repositories": "team/*", "Actions": ["pull", "push"] }</c>.
/// </summary>
public sealed class AccessRule
{
    /// <summary>Anyone, signed in or not, in <see cref="User"/>.</summary>
    public const string Everyone = "*";

    /// <summary>The user name from the htpasswd file, or <c>*</c> for everyone including anonymous callers.</summary>
    public string User { get; set; } = "";

    /// <summary>A repository name pattern where <c>*</c> matches any characters, slashes included: <c>team/*</c>, <c>*</c>.</summary>
    public string Repositories { get; set; } = "";

    /// <summary>Granted actions: <c>pull</c>, <c>push</c>, <c>delete</c>, <c>catalog</c>, or <c>*</c> for all.</summary>
    public IList<string> Actions { get; set; } = [];
}
