using Microsoft.AspNetCore.WebUtilities;

namespace OciRegistry.Interop.Tests.Infrastructure;

/// <summary>One request the registry answered: method, path, query and response status.</summary>
internal sealed record RecordedRequest(string Method, string Path, string QueryString, int StatusCode)
{
    /// <summary>The decoded value of query parameter <paramref name="name"/>, or <c>null</c>.</summary>
    public string? Query(string name) =>
        QueryHelpers.ParseQuery(QueryString).TryGetValue(name, out var values) ? values.ToString() : null;

    public override string ToString() => $"{Method} {Path}{QueryString} -> {StatusCode}";
}
