using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OciRegistry.AspNetCore.Authorization;
using OciRegistry.Core.Operations;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Access control modes for the registry; each replaces the anonymous default <see cref="IRegistryAuthorizer"/>
/// and turns off <see cref="RegistryOptions.MountWithoutFrom"/>, which would reveal blobs across repositories.
/// </summary>
public static class OciRegistryAuthorizationBuilderExtensions
{
    /// <summary>
    /// Authorizes every request with the host's own authentication and the authorization policy
    /// <see cref="AuthorizationPolicyOptions.PolicyName"/> (default <c>OciRegistry</c>), whose resource is the
    /// <see cref="RegistryResource"/>. The host registers the policy and calls <c>UseAuthentication()</c>.
    /// </summary>
    public static IOciRegistryBuilder AddAuthorizationPolicies(this IOciRegistryBuilder builder, Action<AuthorizationPolicyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<AuthorizationPolicyOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.AddAuthorization();
        return builder.UseAuthorizer<AuthorizationServiceRegistryAuthorizer>();
    }

    /// <summary>HTTP Basic authentication with an htpasswd file of bcrypt hashes and a per-repository access list.</summary>
    public static IOciRegistryBuilder AddBasicAuthentication(this IOciRegistryBuilder builder, Action<BasicAuthenticationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<BasicAuthenticationOptions>().Configure(configure);
        return builder.UseAuthorizer<BasicRegistryAuthorizer>();
    }

    /// <summary>
    /// Docker token authentication: bearer JWTs from the token server named by
    /// <see cref="TokenAuthenticationOptions.Realm"/>, checked with the configured keys.
    /// </summary>
    public static IOciRegistryBuilder AddTokenAuthentication(this IOciRegistryBuilder builder, Action<TokenAuthenticationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<TokenAuthenticationOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return builder.UseAuthorizer<TokenRegistryAuthorizer>();
    }

    /// <summary>
    /// The built-in token server for <see cref="AddTokenAuthentication"/>: users from an htpasswd file, grants from
    /// the access list, tokens signed with <see cref="TokenServerOptions.SigningKeyPath"/> or an ephemeral key.
    /// Map it with <c>app.MapOciRegistryTokenEndpoint()</c>.
    /// </summary>
    public static IOciRegistryBuilder AddTokenServer(this IOciRegistryBuilder builder, Action<TokenServerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<TokenServerOptions>().Configure(configure);
        builder.Services.TryAddSingleton<TokenSigningKey>();
        builder.Services.TryAddSingleton<TokenEndpoint>();
        builder.Services.AddOptions<TokenAuthenticationOptions>()
            .PostConfigure<TokenSigningKey>((options, key) => options.SigningKeys.Add(key.Credentials.Key));
        return builder;
    }

    // The constructor is kept for the container under trimming and Native AOT (IL2091 without the annotation, and
    // "A suitable constructor ... could not be located" at startup).
    private static IOciRegistryBuilder UseAuthorizer<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TAuthorizer>(this IOciRegistryBuilder builder)
        where TAuthorizer : class, IRegistryAuthorizer
    {
        builder.Services.Replace(ServiceDescriptor.Singleton<IRegistryAuthorizer, TAuthorizer>());
        builder.Services.PostConfigure<RegistryOptions>(options => options.MountWithoutFrom = false);
        return builder;
    }
}
