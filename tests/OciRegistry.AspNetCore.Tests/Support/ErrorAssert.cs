using System.Net;
using System.Text.Json;

namespace OciRegistry.AspNetCore.Tests.Support;

/// <summary>Asserts the spec's error answer: the status and a JSON body <c>{"errors":[{"code",...}]}</c>.</summary>
internal static class ErrorAssert
{
    public static async Task HasErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        var errors = json.RootElement.GetProperty("errors");
        Assert.Contains(errors.EnumerateArray(), e => e.GetProperty("code").GetString() == code && e.TryGetProperty("message", out _));
    }

    public static async Task HasErrorAsync(Task<HttpResponseMessage> request, HttpStatusCode status, string code)
    {
        using var response = await request;
        await HasErrorAsync(response, status, code);
    }
}
