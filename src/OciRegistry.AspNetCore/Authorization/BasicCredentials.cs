using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace OciRegistry.AspNetCore.Authorization;

/// <summary>The user name and password of an <c>Authorization: Basic</c> header.</summary>
internal readonly record struct BasicCredentials(string User, string Password)
{
    /// <summary>
    /// Reads the header: null when there is none or it carries empty credentials (<c>Basic Og==</c>, i.e. ":"), false
    /// in <paramref name="wellFormed"/> when it is not valid Basic.
    /// </summary>
    public static BasicCredentials? Read(HttpRequest request, out bool wellFormed)
    {
        wellFormed = true;
        var header = request.Headers[HeaderNames.Authorization].ToString();
        if (header.Length == 0)
        {
            return null;
        }

        wellFormed = false;
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        Span<byte> decoded = stackalloc byte[512];
        if (!Convert.TryFromBase64String(header["Basic ".Length..].Trim(), decoded, out var written))
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(decoded[..written]);
        if (text == ":")
        {
            // podman, skopeo and buildah answer a Basic challenge with empty credentials when they have none: that is
            // an anonymous caller (who gets what * rules grant), not a malformed header.
            wellFormed = true;
            return null;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return null;
        }

        wellFormed = true;
        return new BasicCredentials(text[..colon], text[(colon + 1)..]);
    }
}
