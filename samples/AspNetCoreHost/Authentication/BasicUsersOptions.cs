namespace AspNetCoreHost.Authentication;

/// <summary>The app's users, by name, from the <c>Users</c> configuration section. A sample: keep real secrets hashed and out of appsettings.</summary>
public sealed class BasicUsersOptions : Dictionary<string, BasicUser>
{
    /// <summary>Users by name, compared ordinally.</summary>
    public BasicUsersOptions()
        : base(StringComparer.Ordinal)
    {
    }
}

/// <summary>One user: a password and roles.</summary>
public sealed class BasicUser
{
    /// <summary>The password.</summary>
    public string Password { get; set; } = string.Empty;

    /// <summary>The user's roles, e.g. <c>publisher</c>.</summary>
    public List<string> Roles { get; set; } = [];
}
