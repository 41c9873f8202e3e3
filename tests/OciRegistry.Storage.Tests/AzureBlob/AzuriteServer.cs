using System.Diagnostics;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using OciRegistry.Tests;

namespace OciRegistry.Storage.Tests.AzureBlob;

/// <summary>
/// Azurite, Microsoft's Azure Storage emulator (npm package <c>azurite</c>), started for the tests' collection on
/// 127.0.0.1 with the port it reports back and a temporary folder; ended when they are done. Fails, naming the install
/// command, when <c>azurite-blob</c> is not installed.
/// </summary>
public sealed partial class AzuriteServer : IAsyncLifetime
{
    // Azurite's fixed development account (https://learn.microsoft.com/azure/storage/common/storage-use-azurite).
    private const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ociregistry-azurite", Guid.NewGuid().ToString("N"));
    private Process? _process;

    /// <summary>The connection string of the emulator's development account.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>A new, empty container, reached through a client made with <paramref name="options"/>.</summary>
    public BlobContainerClient CreateContainer(BlobClientOptions? options = null)
    {
        var container = new BlobServiceClient(ConnectionString, options).GetBlobContainerClient("test-" + Guid.NewGuid().ToString("N"));
        container.Create();
        return container;
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _process = new Process
        {
            StartInfo = new ProcessStartInfo(ExternalTool.Find("azurite-blob"))
            {
                ArgumentList = { "--blobHost", "127.0.0.1", "--blobPort", "0", "--location", _folder, "--silent", "--disableTelemetry", "--skipApiVersionCheck" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            },
        };
        _process.OutputDataReceived += (_, e) => OnOutput(e.Data);
        _process.ErrorDataReceived += (_, e) => OnOutput(e.Data);
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("azurite-blob exited before it listened: " + string.Join('\n', output)));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var port = await listening.Task.WaitAsync(TimeSpan.FromMinutes(2));
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentAccountKey};BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";

        void OnOutput(string? line)
        {
            if (line is null)
            {
                return;
            }

            output.Enqueue(line);
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        Directory.Delete(_folder, recursive: true);
    }

    [GeneratedRegex(@"listens on http://127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteServer>
{
    public const string Name = "Azurite";
}
