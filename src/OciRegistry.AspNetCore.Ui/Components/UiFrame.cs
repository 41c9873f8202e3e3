using Microsoft.AspNetCore.Http;

namespace OciRegistry.AspNetCore.Ui.Components;

/// <summary>What every page needs besides its own data: where the interface is mounted, who is looking, the form token.</summary>
/// <param name="Prefix">The path the interface is mapped at (with the host's path base), e.g. <c>/ui</c>.</param>
/// <param name="User">The signed-in user's name; null when anonymous.</param>
/// <param name="HasLoginForm">True when the interface offers its own login form (and so a logout button).</param>
/// <param name="AntiforgeryField">The hidden form field's name.</param>
/// <param name="AntiforgeryToken">Its value for this user.</param>
/// <param name="RegistryHost">The <c>host[:port]</c> clients pull from.</param>
/// <param name="Notice">A one-line message from the last action (e.g. after a redirect), or null.</param>
public sealed record UiFrame(string Prefix, string? User, bool HasLoginForm, string AntiforgeryField, string AntiforgeryToken, string RegistryHost, string? Notice)
{
    /// <summary>A link to a page of the interface with the given query values (null values are left out).</summary>
    public string Url(string page, params (string Key, string? Value)[] query)
    {
        var path = Prefix + page;
        var present = query.Where(q => !string.IsNullOrEmpty(q.Value)).Select(q => KeyValuePair.Create(q.Key, q.Value)).ToList();
        return present.Count == 0 ? path : path + QueryString.Create(present);
    }
}
