namespace OciRegistry.Core.Operations;

/// <summary>One page of a lexically ordered listing.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items of this page, in order.</param>
/// <param name="HasMore">True when items after the last one of this page remain.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, bool HasMore);
