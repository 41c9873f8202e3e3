using System.Buffers;
using Microsoft.AspNetCore.Http;
using OciRegistry.Core.Errors;

namespace OciRegistry.AspNetCore.Http;

/// <summary>
/// Recognises a store that ran out of space and answers it. The spec has no "storage full" code, so the answer is
/// HTTP 507 Insufficient Storage (RFC 4918: the server could not store what the request needed), which tells clients
/// and proxies the fault is the registry's and not the request's, with BLOB_UPLOAD_INVALID, the spec's code for "the
/// upload encountered an error and can no longer proceed" (manifests are stored as blobs too); its message says why.
/// Retry-After gives an operator or the scheduled cleanup time to free space before clients try again.
/// </summary>
internal static class StorageFull
{
    /// <summary>Seconds a client is asked to wait before it pushes again.</summary>
    public const int RetryAfterSeconds = 300;

    // Enough for a typical chunk; a client sending more than this to a full disk loses the connection instead.
    private const int MaxDrainBytes = 16 * 1024 * 1024;

    // ENOSPC and EDQUOT (Linux; .NET reports the raw errno as HResult), ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL (Windows).
    private const int NoSpace = 28;
    private const int QuotaExceeded = 122;
    private const int DiskFull = unchecked((int)0x80070070);
    private const int HandleDiskFull = unchecked((int)0x80070027);

    /// <summary>Whether <paramref name="exception"/>, or one it wraps, says the disk or quota is full.</summary>
    public static bool Is(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is IOException { HResult: NoSpace or QuotaExceeded or DiskFull or HandleDiskFull })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads (and drops) what is left of the request body, then answers 507 and ends the connection.</summary>
    public static async Task WriteAsync(HttpContext context)
    {
        // A client still sending its body would otherwise meet a closed socket: the reset it gets can arrive before it
        // reads the answer, so it sees "connection reset" instead of the 507.
        await DrainRequestBodyAsync(context).ConfigureAwait(false);
        RetryAfterHeader.Set(context.Response, TimeSpan.FromSeconds(RetryAfterSeconds));
        // Beyond the drained part the body was not read and the server ends the connection after answering: saying so
        // keeps the client from sending its next request on a connection that is about to close.
        context.Response.Headers.Connection = "close";
        await ErrorResponses.WriteAsync(
            context,
            RegistryError.UploadInvalid("the registry's storage is full; nothing was stored, push again later"),
            StatusCodes.Status507InsufficientStorage).ConfigureAwait(false);
    }

    private static async Task DrainRequestBodyAsync(HttpContext context)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            long drained = 0;
            int read;
            while (drained < MaxDrainBytes && (read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                drained += read;
            }
        }
        catch (Exception gone) when (gone is IOException or OperationCanceledException or BadHttpRequestException or InvalidOperationException)
        {
            // The client left or the body cannot be read any more: the answer below is all that is left to do.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
