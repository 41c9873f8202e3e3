namespace OciRegistry.Testing;

/// <summary>How requests reach an <see cref="InProcessRegistry"/>: over a real socket, or straight into its pipeline.</summary>
public enum RegistryTransport
{
    /// <summary>
    /// Real Kestrel on <c>127.0.0.1</c> on a port the system picks: reachable by <see cref="InProcessRegistry.Client"/>
    /// and by external tools (skopeo, containerd, docker) at <see cref="InProcessRegistry.HostPort"/>. The default.
    /// </summary>
    Kestrel,

    /// <summary>
    /// No socket: ASP.NET Core's <c>TestServer</c> hands each request of <see cref="InProcessRegistry.Client"/> to the
    /// registry's pipeline in memory. Starts in about a millisecond once warm; only that client reaches the registry,
    /// so <see cref="InProcessRegistry.HostPort"/> throws.
    /// </summary>
    InMemory,
}
