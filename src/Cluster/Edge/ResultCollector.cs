using System.Collections.Concurrent;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Vigil.Cluster.Broker;
using Vigil.Cluster.Configuration;

namespace Vigil.Cluster.Edge;

/// <summary>
/// A reader of the results queue that keeps one result per (patient, window): a result published
/// again after a redelivery is dropped when its bytes equal the first, and counted as a
/// <see cref="Conflicts">conflict</see> when they differ (which would mean a window was computed
/// from different state the second time).
/// </summary>
public sealed class ResultCollector : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentDictionary<(string Patient, long Seq), WindowResult> _results = new();
    private readonly ConcurrentDictionary<(string Patient, long Seq), DateTime> _receivedAt = new();
    private long _redelivered, _conflicts;

    private ResultCollector(IConnection connection, IChannel channel)
    {
        _connection = connection; _channel = channel;
    }

    /// <summary>Distinct results received, by (patient, window).</summary>
    public IReadOnlyDictionary<(string Patient, long Seq), WindowResult> Results => _results;
    /// <summary>When each distinct result first arrived (UTC), by (patient, window).</summary>
    public IReadOnlyDictionary<(string Patient, long Seq), DateTime> ReceivedAt => _receivedAt;
    /// <summary>Results received again with identical bytes (dropped).</summary>
    public long Redelivered => Interlocked.Read(ref _redelivered);
    /// <summary>Results received again with different bytes.</summary>
    public long Conflicts => Interlocked.Read(ref _conflicts);

    /// <summary>Starts consuming the results queue (acknowledging each message after recording it).</summary>
    public static async Task<ResultCollector> StartAsync(BrokerSettings broker, CancellationToken ct = default)
    {
        var connection = await BrokerConnector.ConnectAsync(broker, "vigil-results-collector", TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
        var channel = await connection.CreateChannelAsync(cancellationToken: ct).ConfigureAwait(false);
        await BrokerConnector.DeclareQueuesAsync(channel, broker, ct).ConfigureAwait(false);
        await channel.BasicQosAsync(0, 256, false, ct).ConfigureAwait(false);
        var collector = new ResultCollector(connection, channel);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, e) =>
        {
            foreach (var r in ReadingFrame.DecodeResults(e.Body.Span)) collector.Add(r);
            try { await channel.BasicAckAsync(e.DeliveryTag, false).ConfigureAwait(false); } catch (Exception) { }
        };
        await channel.BasicConsumeAsync(broker.ResultsQueue, autoAck: false, consumer, ct).ConfigureAwait(false);
        return collector;
    }

    private void Add(WindowResult r)
    {
        if (_results.TryAdd((r.PatientId, r.Seq), r))
        {
            _receivedAt[(r.PatientId, r.Seq)] = DateTime.UtcNow;
            return;
        }
        var first = _results[(r.PatientId, r.Seq)];
        if (first.Output.AsSpan().SequenceEqual(r.Output)) Interlocked.Increment(ref _redelivered);
        else Interlocked.Increment(ref _conflicts);
    }

    /// <summary>Waits until <paramref name="count"/> distinct results arrived; false after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForAsync(int count, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (_results.Count < count)
        {
            if (DateTime.UtcNow > until) return false;
            await Task.Delay(20).ConfigureAwait(false);
        }
        return true;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try { await _channel.CloseAsync().ConfigureAwait(false); } catch (Exception) { }
        try { await _connection.CloseAsync().ConfigureAwait(false); } catch (Exception) { }
        _connection.Dispose();
    }
}
