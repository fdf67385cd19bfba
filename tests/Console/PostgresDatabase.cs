using Npgsql;

namespace Vigil.WardConsole.Tests;

/// <summary>A fresh PostgreSQL database for one test on the loopback server `scripts/setup postgres` starts (role and database `vigil`).</summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    private const string Admin = "Host=127.0.0.1;Port=5432;Username=vigil;Password=vigil;Database=vigil;Timeout=5";

    private PostgresDatabase(string connectionString) => ConnectionString = connectionString;

    public string ConnectionString { get; }

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var name = "vigil_console_" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            await using var c = new NpgsqlConnection(Admin);
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
            await cmd.ExecuteNonQueryAsync();
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new InvalidOperationException($"These tests need PostgreSQL on 127.0.0.1:5432 with role 'vigil': {e.Message}. Run `scripts/setup postgres` (./test runs it).", e);
        }
        return new PostgresDatabase($"Host=127.0.0.1;Port=5432;Username=vigil;Password=vigil;Database={name}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            var name = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
            NpgsqlConnection.ClearAllPools();
            await using var c = new NpgsqlConnection(Admin);
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", c);
            await cmd.ExecuteNonQueryAsync();
        }
        catch (Exception) { /* best effort */ }
    }
}
