using RabbitMQ.Client;
using Vigil.Cluster.Broker;
using Vigil.Cluster.Configuration;

namespace Vigil.Cluster.Sharding;

/// <summary>
/// Publishes patient windows to the ring's consistent-hash exchange (routing key = patient id)
/// with publisher confirms. Windows published from one publisher keep their order per patient;
/// a window the broker does not confirm is published again (the shard node drops the duplicate
/// by window number, and holds a window that arrives ahead of a missing one).
/// </summary>
public sealed class PatientStreamPublisher : IAsyncDisposable
{
    private readonly ClusterConfig _config;
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private PatientStreamPublisher(ClusterConfig config, IConnection connection, IChannel channel)
    {
        _config = config; _connection = connection; _channel = channel;
    }

    /// <summary>Connects and declares the ring.</summary>
    public static async Task<PatientStreamPublisher> ConnectAsync(ClusterConfig config, CancellationToken ct = default)
    {
        var connection = await BrokerConnector.ConnectAsync(config, "vigil-patients-" + config.Node.Name, TimeSpan.FromSeconds(15), ct).ConfigureAwait(false);
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true), ct).ConfigureAwait(false);
        await Topology.DeclareRingAsync(channel, config.Shard.Ring, ct).ConfigureAwait(false);
        return new PatientStreamPublisher(config, connection, channel);
    }

    /// <summary>Publishes windows, keeping up to <paramref name="unconfirmed"/> unconfirmed at once; returns when all are confirmed.</summary>
    public async Task PublishAsync(IEnumerable<PatientMessage> windows, int unconfirmed = 64, CancellationToken ct = default)
    {
        var inFlight = new Queue<Task>();
        foreach (var w in windows)
        {
            if (w.Kind != PatientMessageKind.Window) throw new ArgumentException($"only windows are published here, got {w.Kind}");
            if (inFlight.Count >= unconfirmed) await inFlight.Dequeue().ConfigureAwait(false);
            inFlight.Enqueue(PublishOneAsync(w, ct));
        }
        while (inFlight.Count > 0) await inFlight.Dequeue().ConfigureAwait(false);
    }

    private async Task PublishOneAsync(PatientMessage window, CancellationToken ct)
    {
        var body = window.Encode();
        var props = new BasicProperties { DeliveryMode = DeliveryModes.Persistent };
        var delay = _config.Timeouts.ReconnectMin;
        while (true)
        {
            try
            {
                await _channel.BasicPublishAsync(_config.Shard.Ring, window.Patient, mandatory: false, props, body, ct).ConfigureAwait(false);
                return;
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                await Task.Delay(delay, ct).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _config.Timeouts.ReconnectMax.Ticks));
            }
        }
    }

    /// <summary>Closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        try { await _connection.CloseAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false); } catch (Exception) { }
        _connection.Dispose();
    }
}
