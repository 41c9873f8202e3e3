using System.Security.Cryptography;

namespace OciRegistry.AspNetCore.Ui;

/// <summary>
/// The stylesheet, embedded in the assembly and served by <c>MapOciRegistryUi</c> itself: no host has to call
/// <c>UseStaticFiles</c>/<c>MapStaticAssets</c> or carry a static web assets manifest (the dotnet tool, test hosts).
/// Its URL carries a content hash, so browsers may cache it for good.
/// </summary>
internal static class UiAssets
{
    public static byte[] Css { get; } = Load("OciRegistry.AspNetCore.Ui.ui.css");

    /// <summary>The first 16 hex digits of the stylesheet's SHA-256.</summary>
    public static string CssVersion { get; } = Convert.ToHexStringLower(SHA256.HashData(Css))[..16];

    private static byte[] Load(string name)
    {
        using var stream = typeof(UiAssets).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
