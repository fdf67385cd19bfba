using RabbitMQ.Client;
using Vigil.Cluster.Broker;
using Vigil.Cluster.Configuration;

namespace Vigil.Cluster.Edge;

/// <summary>
/// The device side of the edge (gateways, tests, benchmarks): publishes readings to the readings
/// queue, several per broker message, as persistent messages with publisher confirms, up to a window
/// of unconfirmed messages at once. A message not confirmed (nack, connection loss) is published
/// again; the patient entity folds a window once however often it arrives.
/// </summary>
public sealed class ReadingPublisher : IAsyncDisposable
{
    private readonly BrokerSettings _broker;
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly SemaphoreSlim _window;

    private ReadingPublisher(BrokerSettings broker, IConnection connection, IChannel channel, int window)
    {
        _broker = broker; _connection = connection; _channel = channel; _window = new SemaphoreSlim(window);
    }

    /// <summary>Connects and declares the queues.</summary>
    public static async Task<ReadingPublisher> ConnectAsync(BrokerSettings broker, int confirmWindow = 64, CancellationToken ct = default)
    {
        var connection = await BrokerConnector.ConnectAsync(broker, "vigil-readings-publisher", TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
        var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct).ConfigureAwait(false);
        await BrokerConnector.DeclareQueuesAsync(channel, broker, ct).ConfigureAwait(false);
        return new ReadingPublisher(broker, connection, channel, confirmWindow);
    }

    /// <summary>Publishes one frame of readings; returns once the broker confirmed it.</summary>
    public async Task PublishAsync(IReadOnlyList<Reading> readings, CancellationToken ct = default)
    {
        var body = ReadingFrame.EncodeReadings(readings);
        var props = new BasicProperties { Persistent = true };
        await _window.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var delay = TimeSpan.FromMilliseconds(100);
            while (true)
            {
                try
                {
                    await _channel.BasicPublishAsync("", _broker.ReadingsQueue, mandatory: false, props, body, ct).ConfigureAwait(false);
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    await Task.Delay(delay, ct).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
                }
            }
        }
        finally { _window.Release(); }
    }

    /// <summary>Publishes <paramref name="readings"/> in frames of <paramref name="perMessage"/>, <paramref name="parallel"/> frames unconfirmed at once.</summary>
    public async Task PublishAllAsync(IReadOnlyList<Reading> readings, int perMessage, int parallel = 32, CancellationToken ct = default)
    {
        var frames = readings.Chunk(Math.Max(1, perMessage)).ToList();
        await Parallel.ForEachAsync(frames, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallel), CancellationToken = ct },
            async (frame, token) => await PublishAsync(frame, token).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try { await _channel.CloseAsync().ConfigureAwait(false); } catch (Exception) { }
        try { await _connection.CloseAsync().ConfigureAwait(false); } catch (Exception) { }
        _connection.Dispose();
    }
}
