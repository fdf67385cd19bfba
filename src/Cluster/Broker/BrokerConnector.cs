using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Vigil.Cluster.Configuration;

namespace Vigil.Cluster.Broker;

/// <summary>
/// Opens recovering connections to the broker named in cluster.conf. The client library's
/// automatic recovery re-opens the connection, channels, queues and consumers after a broker
/// restart; the first connection is retried here with backoff, because the library only recovers
/// connections that were once open.
/// </summary>
public static class BrokerConnector
{
    /// <summary>Connects, retrying with backoff until <paramref name="giveUpAfter"/> passes.</summary>
    public static async Task<IConnection> ConnectAsync(BrokerSettings broker, string clientName, TimeSpan giveUpAfter, CancellationToken ct = default)
    {
        var factory = new ConnectionFactory
        {
            UserName = broker.User,
            Password = broker.Password,
            VirtualHost = broker.VirtualHost,
            ClientProvidedName = clientName,
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = TimeSpan.FromMilliseconds(250),
            RequestedHeartbeat = TimeSpan.FromSeconds(10),
            RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
        };
        var endpoints = broker.Hosts.Select(h => new AmqpTcpEndpoint(h.Host, h.Port)).ToList();
        var delay = TimeSpan.FromMilliseconds(200);
        var until = DateTime.UtcNow + giveUpAfter;
        while (true)
        {
            try
            {
                return await factory.CreateConnectionAsync(endpoints, clientName, ct).ConfigureAwait(false);
            }
            catch (BrokerUnreachableException) when (DateTime.UtcNow + delay < until)
            {
                await Task.Delay(delay, ct).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
            catch (BrokerUnreachableException e)
            {
                throw new BrokerUnavailableException(
                    $"cannot reach the RabbitMQ broker at {Describe(broker)} as user '{broker.User}' within {giveUpAfter.TotalSeconds:0.#} s " +
                    $"({e.InnerException?.Message ?? e.Message}). Start it with: scripts/setup broker", e);
            }
        }
    }

    /// <summary>The broker endpoints as text, for messages.</summary>
    public static string Describe(BrokerSettings broker) =>
        string.Join(", ", broker.Hosts.Select(h => $"{h.Host}:{h.Port}")) + $" vhost '{broker.VirtualHost}'";

    /// <summary>Declares the durable readings and results queues (idempotent; every party declares them the same way).</summary>
    public static async Task DeclareQueuesAsync(IChannel channel, BrokerSettings broker, CancellationToken ct = default)
    {
        await channel.QueueDeclareAsync(broker.ReadingsQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: ct).ConfigureAwait(false);
        await channel.QueueDeclareAsync(broker.ResultsQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: ct).ConfigureAwait(false);
    }
}

/// <summary>The broker could not be reached; the message says where and how to start it.</summary>
public sealed class BrokerUnavailableException(string message, Exception inner) : Exception(message, inner);
