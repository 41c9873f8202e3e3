using System.Reflection;

namespace OciRegistry.Tests;

/// <summary>
/// Finds the external commands the tests drive (skopeo, ctr, docker…), as listed in <c>tests/external-tools.txt</c>
/// with the package that provides each. A missing command throws, naming how to install it: the test fails, it is
/// never skipped. <c>&lt;COMMAND&gt;_PATH</c> (e.g. <c>SKOPEO_PATH</c>) points at a binary off the PATH.
/// </summary>
internal static class ExternalTool
{
    // Daemons such as containerd live in sbin folders, which a non-root PATH often lacks.
    private static readonly string[] StandardFolders = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    private static readonly Lazy<IReadOnlyDictionary<string, string>> Packages = new(ReadPackages);

    /// <summary>Every listed command with its package, e.g. <c>skopeo → apt:skopeo</c>.</summary>
    public static IReadOnlyDictionary<string, string> Listed => Packages.Value;

    /// <summary>The full path of <paramref name="command"/>: <c>&lt;COMMAND&gt;_PATH</c>, else the PATH, else the standard bin and sbin folders.</summary>
    public static string Find(string command) =>
        Find(
            command,
            Environment.GetEnvironmentVariable(PathVariable(command)),
            [.. (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries), .. StandardFolders]);

    /// <summary>
    /// The file at <paramref name="configuredPath"/> when given, else the first <paramref name="command"/> in
    /// <paramref name="folders"/>; throws, naming the install command, when there is none.
    /// </summary>
    public static string Find(string command, string? configuredPath, IReadOnlyList<string> folders)
    {
        var installHint = InstallHint(command);
        if (!string.IsNullOrEmpty(configuredPath))
        {
            return File.Exists(configuredPath)
                ? configuredPath
                : throw new InvalidOperationException($"{PathVariable(command)} is '{configuredPath}', but no file is there: {installHint}.");
        }

        return folders.Select(folder => Path.Combine(folder, command)).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"{command} not found: {installHint} (or set {PathVariable(command)}).");
    }

    private static string InstallHint(string command)
    {
        if (!Listed.TryGetValue(command, out var package))
        {
            throw new InvalidOperationException($"{command} is not listed in tests/external-tools.txt: add a line '{command} apt:<package>' there, so ./test.sh installs it.");
        }

        var separator = package.IndexOf(':', StringComparison.Ordinal);
        var (manager, name) = (package[..separator], package[(separator + 1)..]);
        return manager switch
        {
            "apt" => $"run ./test.sh, or apt-get install {name}",
            "npm" => $"run ./test.sh, or npm install -g {name}",
            _ => throw new InvalidOperationException($"tests/external-tools.txt lists {command} with '{package}': the manager must be apt or npm."),
        };
    }

    private static string PathVariable(string command) => command.ToUpperInvariant().Replace('-', '_') + "_PATH";

    private static Dictionary<string, string> ReadPackages()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("external-tools.txt")
            ?? throw new InvalidOperationException("tests/external-tools.txt is not embedded in this test assembly (see tests/Directory.Build.props).");
        using var reader = new StreamReader(stream);
        var packages = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || fields[0].StartsWith('#'))
            {
                continue;
            }

            packages.Add(fields[0], fields.Length == 2 && fields[1].Contains(':', StringComparison.Ordinal)
                ? fields[1]
                : throw new InvalidOperationException($"tests/external-tools.txt: '{line}' is not '<command> <manager>:<package>'."));
        }

        return packages;
    }
}
