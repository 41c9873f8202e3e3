using Npgsql;
using OciRegistry.Server.Tests;
using OciRegistry.Storage.Tests.PostgreSql;

namespace OciRegistry.Interop.Tests.MultiInstance;

/// <summary>
/// Several <c>oci-registry serve</c> processes (the real server, as an operator runs it) on one PostgreSQL database
/// and one blob store (a shared folder, as the README's recipe for replicas has it, or an object store), each process
/// in a working folder of its own; a client per instance; and the maintenance commands (<c>gc</c>, <c>verify</c>) run
/// with the same settings. <c>await using</c> stops every process left and removes the database, the store and the
/// folders.
/// </summary>
internal sealed class RegistryInstances : IAsyncDisposable
{
    private readonly PostgreSqlServer _postgres;
    private readonly DirectoryInfo _folder;
    private readonly List<ServerProcess> _servers;

    private RegistryInstances(PostgreSqlServer postgres, NpgsqlDataSource database, InstanceStorage storage, DirectoryInfo folder, List<ServerProcess> servers)
    {
        _postgres = postgres;
        Database = database;
        Storage = storage;
        _folder = folder;
        _servers = servers;
        Clients = [.. servers.Select(s => new HttpClient { BaseAddress = new Uri(s.Addresses.Single()) })];
    }

    /// <summary>The shared metadata database.</summary>
    public NpgsqlDataSource Database { get; }

    /// <summary>The shared blob store (blob and upload bytes).</summary>
    public InstanceStorage Storage { get; }

    /// <summary>The server processes, by instance number.</summary>
    public IReadOnlyList<ServerProcess> Servers => _servers;

    /// <summary>A client of each instance, by instance number.</summary>
    public IReadOnlyList<HttpClient> Clients { get; }

    /// <summary>
    /// Starts <paramref name="count"/> instances on a new database of <paramref name="postgres"/> and on
    /// <paramref name="storage"/> (a new shared folder when null), which they then own;
    /// <paramref name="settings"/> gives each instance's own extra settings (e.g. which one collects).
    /// </summary>
    public static async Task<RegistryInstances> StartAsync(PostgreSqlServer postgres, int count, InstanceStorage? storage = null, Func<int, string[]>? settings = null)
    {
        storage ??= new SharedFolderStorage();
        var database = await postgres.CreateDatabaseAsync();
        var folder = Directory.CreateTempSubdirectory("oci-instances-");
        var servers = new List<ServerProcess>();
        try
        {
            servers.AddRange(await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            {
                var own = Directory.CreateDirectory(Path.Combine(folder.FullName, $"instance-{i}")).FullName;
                return ServerProcess.StartServingAsync(own, null, ["--urls", "http://127.0.0.1:0", .. SharedSettings(storage, own, database), .. settings?.Invoke(i) ?? []]);
            })));
            return new RegistryInstances(postgres, database, storage, folder, servers);
        }
        catch
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }

            await storage.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <c>oci-registry <paramref name="command"/></c> on the shared database and store, to its end.</summary>
    public Task<CompletedRun> RunAsync(params string[] command)
    {
        var own = Directory.CreateDirectory(Path.Combine(_folder.FullName, "maintenance")).FullName;
        return ServerProcess.RunAsync(own, null, [.. command, .. SharedSettings(Storage, own, Database)]);
    }

    /// <summary>
    /// What the processes left in their own working folders. The blobs and the metadata are shared, so nothing: a file
    /// or folder there would be state one instance keeps to itself.
    /// </summary>
    public IReadOnlyList<string> EntriesInProcessFolders() =>
        [.. _folder.EnumerateDirectories().SelectMany(process => process.EnumerateFileSystemInfos()).Select(entry => entry.FullName)];

    /// <summary>Runs one SQL statement on the shared database and returns the first column of its first row.</summary>
    public async Task<object?> QueryAsync(string sql, params object[] parameters)
    {
        await using var command = Database.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return await command.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in Clients)
        {
            client.Dispose();
        }

        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        await _postgres.DropDatabaseAsync(Database);
        await Database.DisposeAsync();
        await Storage.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    private static string[] SharedSettings(InstanceStorage storage, string processFolder, NpgsqlDataSource database) =>
        [.. storage.SettingsFor(processFolder), "--OciRegistry:Metadata:PostgreSql:ConnectionString", database.ConnectionString];
}
