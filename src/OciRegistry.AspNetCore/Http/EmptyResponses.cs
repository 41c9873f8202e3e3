using Microsoft.AspNetCore.Http;
using OciRegistry.Core.Errors;

namespace OciRegistry.AspNetCore.Http;

/// <summary>Answers of operations that succeed without a body (deletes, cancels).</summary>
internal static class EmptyResponses
{
    /// <summary>The operation's error, or <paramref name="status"/> with an empty body.</summary>
    public static Task WriteAsync<T>(HttpContext context, RegistryResult<T> result, int status)
    {
        if (!result.IsSuccess)
        {
            return ErrorResponses.WriteAsync(context, result.Error);
        }

        context.Response.StatusCode = status;
        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }
}
