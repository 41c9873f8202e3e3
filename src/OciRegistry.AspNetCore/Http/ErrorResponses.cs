using Microsoft.AspNetCore.Http;
using OciRegistry.Core.Errors;

namespace OciRegistry.AspNetCore.Http;

/// <summary>Writes registry errors as the spec's JSON body <c>{"errors":[{"code","message","detail"}]}</c> with the right status.</summary>
internal static class ErrorResponses
{
    // MANIFEST_BLOB_UNKNOWN is 400, as CNCF Distribution answers it: the manifest is the bad input, not the URL.
    public static int StatusOf(RegistryError error) => error.Code switch
    {
        RegistryErrorCode.BlobUnknown or RegistryErrorCode.BlobUploadUnknown
            or RegistryErrorCode.ManifestUnknown or RegistryErrorCode.NameUnknown => StatusCodes.Status404NotFound,
        RegistryErrorCode.BlobUploadInvalid when error.UploadLength is not null => StatusCodes.Status416RangeNotSatisfiable,
        RegistryErrorCode.Unauthorized => StatusCodes.Status401Unauthorized,
        RegistryErrorCode.Denied => StatusCodes.Status403Forbidden,
        RegistryErrorCode.Unsupported => StatusCodes.Status405MethodNotAllowed,
        RegistryErrorCode.TooManyRequests => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status400BadRequest,
    };

    public static Task WriteAsync(HttpContext context, RegistryError error) =>
        WriteAsync(context, error, StatusOf(error));

    public static Task WriteAsync(HttpContext context, RegistryError error, int status)
    {
        context.Response.StatusCode = status;
        return JsonResponses.WriteAsync(context, "application/json; charset=utf-8", error, static (json, error) =>
        {
            json.WriteStartObject();
            json.WriteStartArray("errors");
            json.WriteStartObject();
            json.WriteString("code", error.Code.ToWireCode());
            json.WriteString("message", error.Message);

            // detail is optional in the spec; a null one is left out rather than sent as "detail": null.
            if (error.Detail is { Count: > 0 } detail)
            {
                json.WriteStartObject("detail");
                foreach (var (key, value) in detail)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }
}
