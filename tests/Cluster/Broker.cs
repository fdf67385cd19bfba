using RabbitMQ.Client;
using Vigil.Cluster.Broker;
using Vigil.Cluster.Configuration;

namespace Vigil.Cluster.Tests;

/// <summary>Every test that talks to RabbitMQ runs in this collection, one at a time (one restarts the broker).</summary>
[CollectionDefinition("broker", DisableParallelization = true)]
public sealed class BrokerCollection;

/// <summary>Shared helpers for tests against the local broker.</summary>
internal static class Broker
{
    /// <summary>A configuration for the loopback broker with short timeouts; names are unique per test.</summary>
    public static ClusterConfig Config(string node, params ModelServing[] models) => new()
    {
        Broker = new BrokerSettings
        {
            Hosts = [new BrokerEndpoint(Environment.GetEnvironmentVariable("VIGIL_TEST_BROKER_HOST") ?? "localhost", 5672)],
        },
        Node = new NodeSettings { Name = node, Roles = models.Length > 0 ? ["serve"] : [] },
        Models = models,
        Timeouts = new TimeoutSettings
        {
            Request = TimeSpan.FromSeconds(30),
            Heartbeat = TimeSpan.FromMilliseconds(300),
            ReconnectMin = TimeSpan.FromMilliseconds(200),
            ReconnectMax = TimeSpan.FromSeconds(1),
            Handoff = TimeSpan.FromSeconds(5),
        },
    };

    /// <summary>A fresh model id so tests never share queues.</summary>
    public static string UniqueModel(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>Opens a connection, failing with a clear message when the broker is absent.</summary>
    public static async Task<IConnection> ConnectAsync(ClusterConfig config)
    {
        try
        {
            return await BrokerConnector.ConnectAsync(config, "vigil-test", TimeSpan.FromSeconds(10));
        }
        catch (BrokerUnavailableException e)
        {
            throw new InvalidOperationException(
                $"These tests need RabbitMQ on loopback: {e.Message}. Run `scripts/setup broker` (./test runs it).", e);
        }
    }

    /// <summary>Deletes queues a test created (best effort).</summary>
    public static async Task DeleteQueuesAsync(ClusterConfig config, params string[] queues)
    {
        await using var connection = await ConnectAsync(config);
        foreach (var q in queues)
        {
            await using var ch = await connection.CreateChannelAsync();
            try { await ch.QueueDeleteAsync(q, ifUnused: false, ifEmpty: false); } catch (Exception) { }
        }
    }

    /// <summary>Runs rabbitmqctl with <paramref name="arguments"/>, failing with its output when it fails.</summary>
    public static async Task RabbitmqctlAsync(string arguments)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("rabbitmqctl", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (p.ExitCode != 0) throw new InvalidOperationException($"rabbitmqctl {arguments} failed ({p.ExitCode}): {await output}{await error}");
    }
}
