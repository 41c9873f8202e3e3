using OciRegistry.Mirror.Transfer;

namespace OciRegistry.Server;

/// <summary>
/// What <c>export</c>, <c>import</c> and <c>sync</c> share: their own options (<c>--name value</c>, repeatable) split from
/// the registry settings, the registry built from those settings, and progress on the console.
/// </summary>
internal sealed class TransferCommandLine
{
    private readonly Dictionary<string, List<string>> _options;

    private TransferCommandLine(Dictionary<string, List<string>> options, string[] settings)
    {
        _options = options;
        Settings = settings;
    }

    /// <summary>The arguments left for the registry's configuration (as for <c>serve</c>).</summary>
    public string[] Settings { get; }

    public static TransferCommandLine Parse(string[] args, IReadOnlySet<string> names)
    {
        var options = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var settings = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (names.Contains(args[i]) && i + 1 < args.Length)
            {
                (options.TryGetValue(args[i], out var values) ? values : options[args[i]] = []).Add(args[++i]);
            }
            else
            {
                settings.Add(args[i]);
            }
        }

        return new TransferCommandLine(options, [.. settings]);
    }

    public string? Single(string name) => _options.TryGetValue(name, out var values) ? values[^1] : null;

    public IReadOnlyList<string> All(string name) => _options.TryGetValue(name, out var values) ? values : [];

    public static ConsoleTransferProgress Progress(TextWriter output) => new(output, interactive: output == Console.Out && !Console.IsOutputRedirected);

    public async Task<int> RunAsync(TextWriter output, Func<ImageTransfer, Task<TransferSummary>> transfer)
    {
        await using var app = RegistryHost.Build(Settings);
        var summary = await transfer(ActivatorUtilities.CreateInstance<ImageTransfer>(app.Services)).ConfigureAwait(false);
        await output.WriteLineAsync($"{summary.Images} images: {summary.Manifests} manifests and {summary.Blobs} blobs ({summary.Bytes} bytes) written.").ConfigureAwait(false);
        return 0;
    }
}
