using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Vigil.Cluster.Configuration;

namespace Vigil.Cluster.Broker;

/// <summary>
/// Opens recovering connections to the broker named in cluster.conf. The client library's
/// automatic recovery re-opens the connection, channels, queues and consumers after a broker
/// restart; the first connection is retried here with exponential backoff, because the library
/// only recovers connections that were once open.
/// </summary>
public static class BrokerConnector
{
    /// <summary>Connects, retrying with backoff until <paramref name="giveUpAfter"/> passes.</summary>
    public static async Task<IConnection> ConnectAsync(ClusterConfig config, string clientName, TimeSpan giveUpAfter, CancellationToken ct = default)
    {
        var factory = CreateFactory(config, clientName);
        var endpoints = config.Broker.Hosts.Select(h => new AmqpTcpEndpoint(h.Host, h.Port)).ToList();
        var delay = config.Timeouts.ReconnectMin;
        var until = DateTime.UtcNow + giveUpAfter;
        while (true)
        {
            try
            {
                return await factory.CreateConnectionAsync(endpoints, clientName, ct).ConfigureAwait(false);
            }
            catch (BrokerUnreachableException e) when (DateTime.UtcNow + delay < until)
            {
                _ = e;
                await Task.Delay(delay, ct).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, config.Timeouts.ReconnectMax.Ticks));
            }
            catch (BrokerUnreachableException e)
            {
                throw new BrokerUnavailableException(
                    $"cannot reach the RabbitMQ broker at {Describe(config)} as user '{config.Broker.User}' within {giveUpAfter.TotalSeconds:0.#} s " +
                    $"({e.InnerException?.Message ?? e.Message}). Start it with: scripts/setup broker", e);
            }
        }
    }

    /// <summary>The broker endpoints as text, for messages.</summary>
    public static string Describe(ClusterConfig config) =>
        string.Join(", ", config.Broker.Hosts.Select(h => $"{h.Host}:{h.Port}")) + $" vhost '{config.Broker.VirtualHost}'";

    private static ConnectionFactory CreateFactory(ClusterConfig config, string clientName) => new()
    {
        UserName = config.Broker.User,
        Password = config.Broker.Password,
        VirtualHost = config.Broker.VirtualHost,
        ClientProvidedName = clientName,
        AutomaticRecoveryEnabled = true,
        TopologyRecoveryEnabled = true,
        // Fixed interval between recovery attempts; short so a restarted broker is picked up quickly.
        NetworkRecoveryInterval = config.Timeouts.ReconnectMin < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : config.Timeouts.ReconnectMin,
        RequestedHeartbeat = TimeSpan.FromSeconds(10),
        RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
    };
}

/// <summary>The broker could not be reached; the message says where and how to start it.</summary>
public sealed class BrokerUnavailableException(string message, Exception inner) : Exception(message, inner);
