using System.Diagnostics;
using Npgsql;
using OciRegistry.Storage.PostgreSql;

namespace OciRegistry.Storage.Tests.PostgreSql;

/// <summary>
/// A PostgreSQL server of the tests' own: a fresh cluster (initdb) in a temporary folder, started with pg_ctl as a
/// non-root user, listening only on a Unix socket in that folder (no TCP port to find or to collide on), removed
/// again at the end. Each test gets an empty database of its own (<see cref="CreateDatabaseAsync"/>).
/// </summary>
/// <remarks>
/// Debian's <c>postgresql</c> package provides the binaries (in <c>/usr/lib/postgresql/&lt;version&gt;/bin</c>, off
/// the PATH); <c>POSTGRESQL_BIN</c> names another folder. When they are missing the tests fail, naming the install
/// command. The cluster trades durability for speed (<c>fsync=off</c>): it only lives as long as the test run.
/// <para>Free of the test framework, so the benchmarks start their server the same way (xunit's fixture interface is
/// declared in PostgreSqlCollection.cs).</para>
/// </remarks>
public sealed partial class PostgreSqlServer
{
    // Runs the server when the tests run as root (initdb and postgres refuse root); Debian's package creates it.
    private const string ServiceUser = "postgres";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ocireg-pg-" + Guid.NewGuid().ToString("N")[..8]);
    private string _bin = string.Empty;
    private NpgsqlDataSource? _admin;

    private string DataFolder => Path.Combine(_folder, "data");

    /// <summary>Creates the cluster and starts the server.</summary>
    public async Task InitializeAsync()
    {
        _bin = FindBinaries();
        Directory.CreateDirectory(_folder);
        if (Environment.IsPrivilegedProcess)
        {
            await RunAsync("chown", [ServiceUser, _folder]);
        }

        await RunPostgreSqlAsync("initdb", ["-D", DataFolder, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync"]);
        await RunPostgreSqlAsync(
            "pg_ctl",
            [
                "-D", DataFolder, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "600",
                "-o", $"-c listen_addresses='' -c unix_socket_directories='{_folder}' -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                "start",
            ]);
        _admin = NpgsqlDataSource.Create(ConnectionString("postgres"));
    }

    /// <summary>
    /// A new, empty database with the registry's schema migrated in (unless <paramref name="migrate"/> is false);
    /// dispose the data source when the test ends.
    /// </summary>
    public async Task<NpgsqlDataSource> CreateDatabaseAsync(bool migrate = true)
    {
        var name = "registry_" + Guid.NewGuid().ToString("N");
        await using (var create = _admin!.CreateCommand($"CREATE DATABASE {name}"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var dataSource = NpgsqlDataSource.Create(ConnectionString(name));
        if (migrate)
        {
            await PostgreSqlSchema.MigrateAsync(dataSource);
        }

        return dataSource;
    }

    /// <summary>Drops a database of this server, closing every connection to it (a database that went away).</summary>
    public async Task DropDatabaseAsync(NpgsqlDataSource database)
    {
        var name = new NpgsqlConnectionStringBuilder(database.ConnectionString).Database;
        await using var drop = _admin!.CreateCommand($"DROP DATABASE {name} WITH (FORCE)");
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>The connection string of a database of this server (its Unix socket folder as the host).</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = _folder, Username = "postgres", Database = database }.ConnectionString;

    /// <summary>Stops the server and deletes its folder.</summary>
    public async Task DisposeAsync()
    {
        if (_admin is not null)
        {
            await _admin.DisposeAsync();
            await RunPostgreSqlAsync("pg_ctl", ["-D", DataFolder, "-m", "immediate", "-w", "stop"]);
        }

        Directory.Delete(_folder, recursive: true);
    }

    private static string FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("POSTGRESQL_BIN") is { Length: > 0 } configured)
        {
            return File.Exists(Path.Combine(configured, "initdb"))
                ? configured
                : throw new InvalidOperationException($"POSTGRESQL_BIN is '{configured}', but it has no initdb: point it at PostgreSQL's bin folder, or apt-get install postgresql.");
        }

        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(v => int.TryParse(Path.GetFileName(v), out var version) ? version : 0).Select(v => Path.Combine(v, "bin"))
            : [];
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return installed.Concat(onPath).FirstOrDefault(folder => File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl")))
            ?? throw new InvalidOperationException(
                "The PostgreSQL tests start a server of their own, but PostgreSQL's initdb and pg_ctl were not found (/usr/lib/postgresql/*/bin, PATH): apt-get install postgresql, or set POSTGRESQL_BIN to the folder that has them.");
    }

    // initdb and pg_ctl run as the service user when the tests run as root.
    private Task RunPostgreSqlAsync(string program, IReadOnlyList<string> arguments) =>
        Environment.IsPrivilegedProcess
            ? RunAsync("runuser", ["-u", ServiceUser, "--", Path.Combine(_bin, program), .. arguments])
            : RunAsync(Path.Combine(_bin, program), arguments);

    private async Task RunAsync(string program, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _folder };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            var log = Path.Combine(_folder, "server.log");
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}{(File.Exists(log) ? await File.ReadAllTextAsync(log) : string.Empty)}");
        }
    }
}
