using Microsoft.AspNetCore.Http;

namespace OciRegistry.AspNetCore.Ui;

/// <summary>How the web interface behaves. Configured by <c>services.AddOciRegistryUi(options => ...)</c>.</summary>
public sealed class OciRegistryUiOptions
{
    /// <summary>The default <see cref="PageSize"/>.</summary>
    public const int DefaultPageSize = 50;

    /// <summary>Rows per page of the repository and tag lists (1–500).</summary>
    public int PageSize { get; set; } = DefaultPageSize;

    /// <summary>
    /// The <c>host[:port]</c> shown in pull commands; null uses the host the browser asked for, which is right unless
    /// clients reach the registry under another name than the interface.
    /// </summary>
    public string? RegistryHost { get; set; }

    /// <summary>
    /// The authentication scheme the pages read the user from. Null uses <c>HttpContext.User</c> as the host's own
    /// authentication middleware set it; a scheme (a cookie the login form signs in to) is authenticated by the
    /// pages themselves, so the registry API never honours that cookie.
    /// </summary>
    public string? AuthenticationScheme { get; set; }

    /// <summary>
    /// Checks a user name and password for the login form (<c>{prefix}/login</c>), which then signs the user in to
    /// <see cref="AuthenticationScheme"/>. Null: no login form; an anonymous visitor who needs to sign in is
    /// challenged by the host's default scheme.
    /// </summary>
    public Func<HttpContext, string, string, ValueTask<bool>>? CheckPassword { get; set; }

    /// <summary>Returns the problems with these options, one sentence each naming the option; empty when valid.</summary>
    public IEnumerable<string> Validate()
    {
        if (PageSize is < 1 or > 500)
        {
            yield return $"OciRegistry:Ui:{nameof(PageSize)} must be between 1 and 500 (was {PageSize}).";
        }

        if (CheckPassword is not null && string.IsNullOrEmpty(AuthenticationScheme))
        {
            yield return $"OciRegistry:Ui:{nameof(AuthenticationScheme)} must name the scheme the login form signs in to.";
        }
    }
}
