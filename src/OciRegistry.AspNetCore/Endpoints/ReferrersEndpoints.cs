using Microsoft.AspNetCore.Http;
using OciRegistry.AspNetCore.Http;
using OciRegistry.AspNetCore.Routing;
using OciRegistry.Core.Manifests;
using OciRegistry.Core.Operations;

namespace OciRegistry.AspNetCore.Endpoints;

/// <summary><c>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;?artifactType=</c>: an image index of the manifests whose subject is the digest.</summary>
internal sealed class ReferrersEndpoints(ManifestOperations manifests)
{
    public async Task GetAsync(HttpContext context, RegistryRoute route)
    {
        var artifactType = context.Request.Query["artifactType"].ToString();
        var filter = artifactType.Length == 0 ? null : artifactType;
        var referrers = await manifests.ReferrersAsync(route.Repository, route.Argument, filter, context.RequestAborted).ConfigureAwait(false);
        if (!referrers.IsSuccess)
        {
            await ErrorResponses.WriteAsync(context, referrers.Error).ConfigureAwait(false);
            return;
        }

        if (filter is not null)
        {
            context.Response.Headers[RegistryHeaders.FiltersApplied] = "artifactType";
        }

        await JsonResponses.WriteAsync(context, ManifestMediaTypes.OciIndex, referrers.Value, static (json, descriptors) =>
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 2);
            json.WriteString("mediaType", ManifestMediaTypes.OciIndex);
            json.WriteStartArray("manifests");
            foreach (var descriptor in descriptors)
            {
                json.WriteStartObject();
                json.WriteString("mediaType", descriptor.MediaType);
                json.WriteString("digest", descriptor.Digest.ToString());
                json.WriteNumber("size", descriptor.Size);
                if (descriptor.ArtifactType is { } type)
                {
                    json.WriteString("artifactType", type);
                }

                if (descriptor.Annotations is { Count: > 0 } annotations)
                {
                    json.WriteStartObject("annotations");
                    foreach (var (key, value) in annotations)
                    {
                        json.WriteString(key, value);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }).ConfigureAwait(false);
    }
}
