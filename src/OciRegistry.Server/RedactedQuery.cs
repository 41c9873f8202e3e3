using System.Text;

namespace OciRegistry.Server;

/// <summary>
/// A query string fit for a log: as sent, except that the values of parameters that carry credentials (tokens,
/// passwords, signatures) are replaced by <c>***</c>.
/// </summary>
internal static class RedactedQuery
{
    public const string Redacted = "***";

    private static readonly string[] SecretNameParts = ["token", "password", "secret", "signature", "credential", "key", "code", "auth"];

    public static string Of(QueryString query)
    {
        var text = query.Value;
        if (string.IsNullOrEmpty(text) || !IsSecret(Uri.UnescapeDataString(text)))
        {
            return text ?? "";
        }

        var redacted = new StringBuilder(text.Length);
        foreach (var parameter in text.TrimStart('?').Split('&'))
        {
            redacted.Append(redacted.Length == 0 ? '?' : '&');
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? parameter : parameter[..equals];
            redacted.Append(IsSecret(Uri.UnescapeDataString(name)) ? $"{name}={Redacted}" : parameter);
        }

        return redacted.ToString();
    }

    // Whether a parameter name (or, as a first check, the whole query) mentions a credential.
    private static bool IsSecret(string name) => SecretNameParts.Any(part => name.Contains(part, StringComparison.OrdinalIgnoreCase));
}
