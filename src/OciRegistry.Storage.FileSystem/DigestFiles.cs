using OciRegistry.Core.Digests;

namespace OciRegistry.Storage.FileSystem;

/// <summary>Reads back the digests of a folder laid out as <c>&lt;alg&gt;/&lt;hex&gt;</c>.</summary>
internal static class DigestFiles
{
    /// <summary>Every valid digest named under <paramref name="directory"/>; none when it does not exist. Stray files are skipped.</summary>
    public static IEnumerable<Digest> Enumerate(string directory)
    {
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        foreach (var algorithmDirectory in Directory.EnumerateDirectories(directory))
        {
            var algorithm = Path.GetFileName(algorithmDirectory);
            foreach (var file in Directory.EnumerateFiles(algorithmDirectory))
            {
                if (Digest.TryParse($"{algorithm}:{Path.GetFileName(file)}", out var digest) == DigestParseStatus.Valid)
                {
                    yield return digest;
                }
            }
        }
    }
}
