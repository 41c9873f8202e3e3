using System.Collections.Concurrent;

namespace OciRegistry.Testing.Tests.Xunit;

/// <summary>Remembers the first registry a group of tests saw, so each of them can check it got the same one.</summary>
internal static class SharedRegistry
{
    private static readonly ConcurrentDictionary<Type, InProcessRegistry> FirstByGroup = new();

    public static InProcessRegistry FirstSeen(Type group, InProcessRegistry registry) => FirstByGroup.GetOrAdd(group, registry);
}
