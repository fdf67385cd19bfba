using System.Net;
using System.Net.Sockets;
using Npgsql;
using Vigil.Cluster.Broker;
using Vigil.Cluster.Configuration;

namespace Vigil.Cluster.Tests;

/// <summary>Every test that talks to RabbitMQ or PostgreSQL runs in this collection, one at a time (one restarts the broker).</summary>
[CollectionDefinition("broker", DisableParallelization = true)]
public sealed class BrokerCollection;

/// <summary>Configurations and services for cluster tests on loopback.</summary>
internal static class TestCluster
{
    /// <summary>A free TCP port on loopback.</summary>
    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    /// <summary>cluster.conf text for a test node.</summary>
    public static string Conf(string name, int port, IEnumerable<int> seeds, string roles, string persistence, string queues, string extra = "") => $$"""
        vigil {
          node { name = {{name}}, host = "127.0.0.1", port = {{port}}, roles = [{{roles}}] }
          seed-nodes = [{{string.Join(", ", seeds.Select(s => $"\"127.0.0.1:{s}\""))}}]
          {{persistence}}
          broker { {{queues}}, prefetch = 64 }
          patients { shards = 30, ask-timeout = 2s }
          {{extra}}
        }
        """;

    /// <summary>A vigil.persistence block for a SQLite file.</summary>
    public static string Sqlite(string file) => $$"""persistence { backend = sqlite, connection-string = "Data Source={{file}}", snapshot-every = 8, snapshot-interval = 100ms }""";

    /// <summary>A vigil.persistence block for a PostgreSQL database.</summary>
    public static string Postgres(string connection) => $$"""persistence { backend = postgresql, connection-string = "{{connection}}", snapshot-every = 8, snapshot-interval = 100ms }""";

    /// <summary>Queue names unique to one test.</summary>
    public static (string Hocon, BrokerSettings Settings) Queues(string prefix)
    {
        string id = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
        var settings = new BrokerSettings { ReadingsQueue = $"t.{id}.readings", ResultsQueue = $"t.{id}.results" };
        return ($"readings-queue = \"{settings.ReadingsQueue}\", results-queue = \"{settings.ResultsQueue}\"", settings);
    }

    /// <summary>Deletes a test's queues (best effort).</summary>
    public static async Task DeleteQueuesAsync(BrokerSettings broker)
    {
        try
        {
            await using var connection = await BrokerConnector.ConnectAsync(broker, "vigil-test", TimeSpan.FromSeconds(10));
            await using var ch = await connection.CreateChannelAsync();
            await ch.QueueDeleteAsync(broker.ReadingsQueue, false, false);
            await ch.QueueDeleteAsync(broker.ResultsQueue, false, false);
        }
        catch (Exception) { }
    }

    /// <summary>Fails with a clear message when RabbitMQ is not on loopback.</summary>
    public static async Task RequireBrokerAsync()
    {
        try
        {
            await using var c = await BrokerConnector.ConnectAsync(new BrokerSettings(), "vigil-test", TimeSpan.FromSeconds(10));
        }
        catch (BrokerUnavailableException e)
        {
            throw new InvalidOperationException($"These tests need RabbitMQ on loopback: {e.Message}. Run `scripts/setup broker` (./test runs it).", e);
        }
    }

    private const string PgAdmin = "Host=127.0.0.1;Port=5432;Username=vigil;Password=vigil;Database=vigil";

    /// <summary>Creates a fresh PostgreSQL database for one test; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        string name = "vigil_t_" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            await using var c = new NpgsqlConnection(PgAdmin);
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
            await cmd.ExecuteNonQueryAsync();
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException)
        {
            throw new InvalidOperationException($"These tests need PostgreSQL on 127.0.0.1:5432 with role 'vigil': {e.Message}. Run `scripts/setup postgres` (./test runs it).", e);
        }
        return $"Host=127.0.0.1;Port=5432;Username=vigil;Password=vigil;Database={name}";
    }

    /// <summary>Drops a test database (best effort).</summary>
    public static async Task DropDatabaseAsync(string connection)
    {
        try
        {
            string name = new NpgsqlConnectionStringBuilder(connection).Database!;
            NpgsqlConnection.ClearAllPools();
            await using var c = new NpgsqlConnection(PgAdmin);
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", c);
            await cmd.ExecuteNonQueryAsync();
        }
        catch (Exception) { }
    }
}
