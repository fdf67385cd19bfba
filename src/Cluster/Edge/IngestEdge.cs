using System.Threading.Channels;
using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Vigil.Cluster.Broker;
using Vigil.Cluster.Configuration;
using Vigil.Cluster.Messages;
using Vigil.Cluster.Wire;

namespace Vigil.Cluster.Edge;

/// <summary>
/// RabbitMQ as the durable edge of an ingest node, as one Akka.Streams graph:
/// <list type="number">
/// <item>source: broker messages from the readings queue (several readings framed per message,
/// <see cref="ReadingFrame"/>), at most <see cref="BrokerSettings.Prefetch"/> unacknowledged;</item>
/// <item>each reading goes to its patient entity (sharded), which answers only once a persisted
/// snapshot covers the window; a reading not answered within the ask timeout is sent again (the
/// entity folds every window once, so a retry is harmless);</item>
/// <item>the outputs are framed and published to the results queue with publisher confirms,
/// several broker messages unconfirmed at once (<see cref="BrokerSettings.ConfirmWindow"/>),
/// republished after a nack or connection loss;</item>
/// <item>sink: the broker message is acknowledged only after that.</item>
/// </list>
/// A crash anywhere before the acknowledgement leaves the message with the broker, which redelivers
/// it; a result published twice this way carries the same (patient, window) id and the same bytes,
/// and readers drop the second (<see cref="ResultCollector"/>).
/// </summary>
public sealed class IngestEdge : IAsyncDisposable
{
    private readonly ClusterConfig _config;
    private readonly IActorRef _patients;
    private readonly TextWriter _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<Delivery> _deliveries = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleReader = true });
    private IConnection? _connection;
    private IChannel? _consume, _publish;
    private string? _consumerTag;
    private Task _completion = Task.CompletedTask;
    private int _generation;
    private long _acked, _readings, _inFlight, _published, _rejected;

    private sealed record Delivery(ulong Tag, int Generation, List<Reading> Readings, bool Rejected = false);
    private sealed record Processed(Delivery Delivery, List<WindowResult> Results);

    private IngestEdge(ClusterConfig config, IActorRef patients, TextWriter log)
    {
        _config = config; _patients = patients; _log = log;
    }

    /// <summary>Broker messages acknowledged (their readings persisted and results confirmed).</summary>
    public long MessagesAcknowledged => Interlocked.Read(ref _acked);
    /// <summary>Readings whose patient confirmed them persisted.</summary>
    public long ReadingsPersisted => Interlocked.Read(ref _readings);
    /// <summary>Broker messages taken and not yet acknowledged.</summary>
    public long MessagesInFlight => Interlocked.Read(ref _inFlight);
    /// <summary>Result messages published and confirmed.</summary>
    public long ResultMessagesPublished => Interlocked.Read(ref _published);
    /// <summary>Malformed broker messages rejected (not requeued).</summary>
    public long MessagesRejected => Interlocked.Read(ref _rejected);

    /// <summary>Connects to the broker and starts consuming into <paramref name="patients"/> (the patient region or proxy).</summary>
    public static async Task<IngestEdge> StartAsync(ActorSystem system, ClusterConfig config, IActorRef patients, TextWriter log, CancellationToken ct = default)
    {
        var edge = new IngestEdge(config, patients, log);
        await edge.ConnectAsync(system, ct).ConfigureAwait(false);
        return edge;
    }

    private async Task ConnectAsync(ActorSystem system, CancellationToken ct)
    {
        var b = _config.Broker;
        _connection = await BrokerConnector.ConnectAsync(b, $"vigil-edge-{_config.Node.Name}", TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
        _connection.RecoverySucceededAsync += (_, _) => { Interlocked.Increment(ref _generation); return Task.CompletedTask; };
        _consume = await _connection.CreateChannelAsync(cancellationToken: ct).ConfigureAwait(false);
        await BrokerConnector.DeclareQueuesAsync(_consume, b, ct).ConfigureAwait(false);
        await _consume.BasicQosAsync(0, (ushort)Math.Min(b.Prefetch, ushort.MaxValue), false, ct).ConfigureAwait(false);
        _publish = await _connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct).ConfigureAwait(false);

        _completion = ChannelSource.FromReader(_deliveries.Reader)
            .SelectAsyncUnordered(Math.Max(1, _config.Patients.Parallelism), PersistAsync)
            .BatchWeighted(_config.Broker.FrameMaxResults, p => Math.Max(1, p.Results.Count), p => new List<Processed> { p }, (list, p) => { list.Add(p); return list; })
            .SelectAsyncUnordered(_config.Broker.ConfirmWindow, PublishAsync)
            .RunWith(Sink.ForEachAsync<List<Processed>>(1, AckAsync), system.Materializer());
        _ = _completion.ContinueWith(t =>
        {
            if (t.IsFaulted && !_stop.IsCancellationRequested)
                _log.WriteLine($"edge {_config.Node.Name}: the ingest stream failed: {t.Exception?.GetBaseException()}");
        }, TaskScheduler.Default);

        var consumer = new AsyncEventingBasicConsumer(_consume);
        consumer.ReceivedAsync += OnDeliveryAsync;
        _consumerTag = await _consume.BasicConsumeAsync(b.ReadingsQueue, autoAck: false, consumer, ct).ConfigureAwait(false);
    }

    private async Task OnDeliveryAsync(object sender, BasicDeliverEventArgs e)
    {
        List<Reading> readings;
        try { readings = ReadingFrame.DecodeReadings(e.Body.Span); }
        catch (FrameFormatException ex)
        {
            // Nobody can fix a malformed message by retrying it: reject it, say why, keep serving.
            Interlocked.Increment(ref _rejected);
            _log.WriteLine($"edge: rejected message {e.DeliveryTag} from {_config.Broker.ReadingsQueue}: {ex.Message}");
            // Rejected in tag order by the acknowledging sink (a multiple-ack must not cover it).
            Interlocked.Increment(ref _inFlight);
            _deliveries.Writer.TryWrite(new Delivery(e.DeliveryTag, Volatile.Read(ref _generation), [], Rejected: true));
            await Task.CompletedTask.ConfigureAwait(false);
            return;
        }
        Interlocked.Increment(ref _inFlight);
        _deliveries.Writer.TryWrite(new Delivery(e.DeliveryTag, Volatile.Read(ref _generation), readings));
    }

    private async Task<Processed> PersistAsync(Delivery d)
    {
        var done = await Task.WhenAll(d.Readings.Select(AskUntilCoveredAsync)).ConfigureAwait(false);
        Interlocked.Add(ref _readings, done.Length);
        var results = new List<WindowResult>(done.Length);
        foreach (var (reading, output, node) in done)
            if (output is not null) results.Add(new WindowResult(reading.PatientId, reading.Seq, node, output));
        return new Processed(d, results);
    }

    private async Task<(Reading, byte[]?, string)> AskUntilCoveredAsync(Reading r)
    {
        var message = new PatientReading(r.PatientId, r.Seq, r.Payload);
        while (true)
        {
            _stop.Token.ThrowIfCancellationRequested();
            try
            {
                var answer = await _patients.Ask(message, _config.Patients.AskTimeout, _stop.Token).ConfigureAwait(false);
                if (answer is ReadingDone done) return (r, done.Output, done.Node);
            }
            catch (AskTimeoutException) { }
            catch (TaskCanceledException) when (!_stop.IsCancellationRequested) { }
        }
    }

    private async Task<List<Processed>> PublishAsync(List<Processed> batch)
    {
        var results = batch.SelectMany(p => p.Results).ToList();
        if (results.Count == 0) return batch;
        var body = ReadingFrame.EncodeResults(results);
        var props = new BasicProperties { Persistent = true };
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            _stop.Token.ThrowIfCancellationRequested();
            try
            {
                // Returns once the broker confirmed the message (publisher confirms with tracking).
                await _publish!.BasicPublishAsync("", _config.Broker.ResultsQueue, mandatory: false, props, body, _stop.Token).ConfigureAwait(false);
                Interlocked.Increment(ref _published);
                return batch;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Nack or connection loss: publish again once the connection is back.
                await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }

    // Finished deliveries by tag, acknowledged in contiguous runs with one multiple-ack each.
    private readonly SortedDictionary<ulong, bool> _finished = new();
    private ulong _settledUpTo;
    private int _ackGeneration;

    private async Task AckAsync(List<Processed> batch)
    {
        int generation = Volatile.Read(ref _generation);
        if (generation != _ackGeneration)
        {
            // Tags restart on the recovered channel; those from before were requeued by the broker.
            _ackGeneration = generation; _finished.Clear(); _settledUpTo = 0; _lastAcked = 0;
        }
        foreach (var p in batch)
        {
            Interlocked.Decrement(ref _inFlight);
            if (p.Delivery.Generation == generation) _finished[p.Delivery.Tag] = p.Delivery.Rejected;
        }
        ulong ackTo = _settledUpTo;
        try
        {
            while (_finished.Remove(_settledUpTo + 1, out bool rejected))
            {
                _settledUpTo++;
                if (!rejected) { ackTo = _settledUpTo; continue; }
                if (ackTo > 0 && ackTo == _settledUpTo - 1 && AckedBelow(ackTo)) await AckToAsync(ackTo).ConfigureAwait(false);
                await _consume!.BasicNackAsync(_settledUpTo, multiple: false, requeue: false).ConfigureAwait(false);
                _lastAcked = _settledUpTo;
            }
            if (AckedBelow(ackTo)) await AckToAsync(ackTo).ConfigureAwait(false);
        }
        catch (Exception) { /* channel lost: the broker redelivers, the entities answer again */ }
    }

    private ulong _lastAcked;

    private bool AckedBelow(ulong tag) => tag > _lastAcked;

    private async Task AckToAsync(ulong tag)
    {
        await _consume!.BasicAckAsync(tag, multiple: true).ConfigureAwait(false);
        Interlocked.Add(ref _acked, (long)(tag - _lastAcked));
        _lastAcked = tag;
    }

    /// <summary>Stops taking messages, finishes those in hand (up to <paramref name="timeout"/>), then closes.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        if (_consume is not null && _consumerTag is not null)
            try { await _consume.BasicCancelAsync(_consumerTag).ConfigureAwait(false); } catch (Exception) { }
        _deliveries.Writer.TryComplete();
        await Task.WhenAny(_completion, Task.Delay(timeout)).ConfigureAwait(false);
        await DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _deliveries.Writer.TryComplete();
        _stop.Cancel();
        try { if (_consume is not null) await _consume.CloseAsync().ConfigureAwait(false); } catch (Exception) { }
        try { if (_publish is not null) await _publish.CloseAsync().ConfigureAwait(false); } catch (Exception) { }
        try { if (_connection is not null) await _connection.CloseAsync().ConfigureAwait(false); } catch (Exception) { }
        _connection?.Dispose();
    }
}
