using System.Threading.Channels;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Vigil.Cluster.Broker;
using Vigil.Cluster.Configuration;
using Vigil.Cluster.Wire;

namespace Vigil.Cluster.Inference;

/// <summary>
/// Serves one model on a node: consumes the model's request queue with a prefetch equal to the
/// model's batching capacity (so a slow node holds, and therefore takes, less work), runs batches
/// through an <see cref="IInferenceHandler"/>, publishes results to each requester's reply queue
/// with publisher confirms, and only then acknowledges the requests. A node killed before the
/// acknowledgement has its requests redelivered to another node; the requester drops the second
/// result. Requests whose deadline has passed are answered with
/// <see cref="InferenceStatus.DeadlineExceeded"/> instead of being run.
/// </summary>
public sealed class ModelServer : IAsyncDisposable
{
    private sealed record Delivery(ulong Tag, long Generation, string ReplyTo, List<InferenceRequest> Requests);

    private readonly ModelServing _model;
    private readonly IInferenceHandler _handler;
    private readonly IConnection _connection;
    private readonly string _node;
    private readonly TimeProvider _time;
    private readonly ClusterConfig _config;
    private readonly Action<string>? _log;
    // Not SingleReader: that variant cannot count its items, and the idle fast path asks for the count.
    private readonly Channel<Delivery> _inbox = Channel.CreateUnbounded<Delivery>();
    // Bounds batches whose results are being published while the next batch runs.
    private const int PublishSlots = 4;
    private readonly SemaphoreSlim _publishSlots = new(PublishSlots, PublishSlots);
    // Held by whoever runs a batch: the work loop, or a consumer callback on the idle fast path.
    private readonly SemaphoreSlim _runGate = new(1, 1);
    private readonly TaskCompletionSource _unregistered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private IChannel? _consumeChannel;
    private IChannel? _publishChannel;
    private string? _consumerTag;
    private Task? _worker;
    private long _generation;
    private long _inHand, _processed, _expired, _failed, _batches, _malformed;

    /// <summary>The model served.</summary>
    public ModelServing Model => _model;

    /// <summary>Requests held by this server (delivered and not yet acknowledged).</summary>
    public long InHand => Interlocked.Read(ref _inHand);

    /// <summary>Requests answered (any status) since start.</summary>
    public long Processed => Interlocked.Read(ref _processed);

    /// <summary>Requests answered with DeadlineExceeded because they arrived too late.</summary>
    public long Expired => Interlocked.Read(ref _expired);

    /// <summary>Requests answered with Failed.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Batches handed to the model.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Broker messages rejected because they were not valid request frames.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Creates a server; call <see cref="StartAsync"/>.</summary>
    /// <param name="config">The node's configuration.</param>
    /// <param name="model">The model served.</param>
    /// <param name="handler">Computes the results.</param>
    /// <param name="connection">The node's broker connection.</param>
    /// <param name="time">Clock for request deadlines (tests pass a manual clock).</param>
    /// <param name="log">Receives one-line events (a replaced leftover queue).</param>
    public ModelServer(ClusterConfig config, ModelServing model, IInferenceHandler handler, IConnection connection, TimeProvider? time = null,
        Action<string>? log = null)
    {
        _config = config; _model = model; _handler = handler; _connection = connection;
        _node = config.Node.Name; _time = time ?? TimeProvider.System; _log = log;
    }

    /// <summary>Declares the model queue and starts consuming.</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        // Delivery tags belong to one channel incarnation: after the connection drops, held tags
        // must not be acknowledged on the recovered channel (the broker redelivers those requests).
        _connection.ConnectionShutdownAsync += (_, _) => { Interlocked.Increment(ref _generation); return Task.CompletedTask; };
        _publishChannel = await _connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct).ConfigureAwait(false);
        _consumeChannel = await _connection.CreateChannelAsync(cancellationToken: ct).ConfigureAwait(false);
        await RequestQueues.DeclareAsync(_connection, Topology.ModelQueue(_model.Id, _model.Version), _config.QueueTypeOf(_model), _log, ct)
            .ConfigureAwait(false);
        await _consumeChannel.BasicQosAsync(0, (ushort)Math.Min(_model.Capacity, ushort.MaxValue), false, ct).ConfigureAwait(false);
        var consumer = new AsyncEventingBasicConsumer(_consumeChannel);
        consumer.ReceivedAsync += OnDeliveryAsync;
        consumer.UnregisteredAsync += (_, _) => { _unregistered.TrySetResult(); return Task.CompletedTask; };
        _worker = Task.Run(WorkLoopAsync);
        _consumerTag = await _consumeChannel.BasicConsumeAsync(Topology.ModelQueue(_model.Id, _model.Version), autoAck: false, consumer, ct)
            .ConfigureAwait(false);
    }

    private async Task OnDeliveryAsync(object sender, BasicDeliverEventArgs e)
    {
        long generation = Interlocked.Read(ref _generation);
        List<InferenceRequest> requests;
        try
        {
            requests = FrameCodec.DecodeRequests(e.Body.Span);
            if (string.IsNullOrEmpty(e.BasicProperties.ReplyTo)) throw new FrameFormatException("message has no reply-to queue");
        }
        catch (FrameFormatException)
        {
            // Nobody to answer: reject without requeue so it does not loop.
            Interlocked.Increment(ref _malformed);
            await _consumeChannel!.BasicRejectAsync(e.DeliveryTag, requeue: false).ConfigureAwait(false);
            return;
        }
        Interlocked.Add(ref _inHand, requests.Count);
        var delivery = new Delivery(e.DeliveryTag, generation, e.BasicProperties.ReplyTo!, requests);
        // Idle fast path: nothing queued and no batch running, so run this one here instead of
        // handing it to the work loop (one thread hop less). Not awaited: a slow model returns the
        // callback at its first await, and deliveries arriving meanwhile queue for the work loop,
        // which batches them as usual.
        if (_model.DirectRun && _inbox.Reader.Count == 0 && !_inbox.Reader.Completion.IsCompleted && _runGate.Wait(0))
        {
            _ = RunHeldGateAsync([delivery]);
            return;
        }
        if (!_inbox.Writer.TryWrite(delivery))
            Interlocked.Add(ref _inHand, -requests.Count); // draining: left unacked, redelivered elsewhere
    }

    private async Task WorkLoopAsync()
    {
        var reader = _inbox.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            await _runGate.WaitAsync().ConfigureAwait(false);
            var deliveries = new List<Delivery>();
            int count = 0;
            while (count < _model.Capacity && reader.TryRead(out var d)) { deliveries.Add(d); count += d.Requests.Count; }
            if (deliveries.Count == 0) { _runGate.Release(); continue; }
            await RunHeldGateAsync(deliveries).ConfigureAwait(false);
        }
    }

    /// <summary>Runs one batch; the caller holds the run gate, released here once the batch ran (its results may still be publishing).</summary>
    private async Task RunHeldGateAsync(List<Delivery> deliveries)
    {
        try
        {
            await _publishSlots.WaitAsync().ConfigureAwait(false);
            List<(string ReplyTo, InferenceResult Result)> results;
            try { results = await RunBatchAsync(deliveries).ConfigureAwait(false); }
            catch { _publishSlots.Release(); throw; }
            _ = PublishAndAckAsync(deliveries, results); // releases its publish slot when done
        }
        finally { _runGate.Release(); }
    }

    private async Task<List<(string ReplyTo, InferenceResult Result)>> RunBatchAsync(List<Delivery> deliveries)
    {
        var now = _time.GetUtcNow();
        var results = new List<(string, InferenceResult)>();
        var live = new List<(string ReplyTo, InferenceRequest Request)>();
        foreach (var d in deliveries)
            foreach (var r in d.Requests)
            {
                if (r.Deadline <= now)
                {
                    Interlocked.Increment(ref _expired);
                    results.Add((d.ReplyTo, Result(r, InferenceStatus.DeadlineExceeded, [],
                        $"request {r.Id} for model {r.ModelId} v{r.ModelVersion}: deadline {r.Deadline:O} passed " +
                        $"{(now - r.Deadline).TotalMilliseconds:0} ms before node {_node} could run it")));
                }
                else if (r.ModelId != _model.Id || r.ModelVersion != _model.Version)
                {
                    Interlocked.Increment(ref _failed);
                    results.Add((d.ReplyTo, Result(r, InferenceStatus.Failed, [],
                        $"request {r.Id} names model {r.ModelId} v{r.ModelVersion} but arrived on the queue of {_model.Id} v{_model.Version}")));
                }
                else live.Add((d.ReplyTo, r));
            }
        if (live.Count == 0) return results;
        // Higher priority first among what this node holds (the request queue has no priorities).
        live = live.OrderByDescending(x => x.Request.Priority).ToList();
        // A frame may carry more requests than the model's capacity: run them in capacity-sized batches.
        var outcomes = new List<HandlerOutcome>(live.Count);
        for (int start = 0; start < live.Count; start += _model.Capacity)
            outcomes.AddRange(await RunHandlerAsync(live.GetRange(start, Math.Min(_model.Capacity, live.Count - start))).ConfigureAwait(false));
        for (int i = 0; i < live.Count; i++)
        {
            var (replyTo, r) = live[i];
            var o = outcomes[i];
            if (o.Error is null) results.Add((replyTo, Result(r, InferenceStatus.Ok, o.Outputs, "")));
            else
            {
                Interlocked.Increment(ref _failed);
                results.Add((replyTo, Result(r, InferenceStatus.Failed, [], $"request {r.Id} ({r.InputIdentity}): {o.Error}")));
            }
        }
        return results;
    }

    private async Task<IReadOnlyList<HandlerOutcome>> RunHandlerAsync(List<(string ReplyTo, InferenceRequest Request)> batch)
    {
        Interlocked.Increment(ref _batches);
        try
        {
            var outcomes = await _handler.InferAsync(batch.Select(x => x.Request).ToList(), _stop.Token).ConfigureAwait(false);
            if (outcomes.Count != batch.Count)
                throw new InvalidOperationException($"handler returned {outcomes.Count} outcomes for {batch.Count} requests");
            return outcomes;
        }
        catch (Exception e)
        {
            string why = $"model {_model.Id} v{_model.Version} failed on node {_node} for a batch of {batch.Count}: {e.Message}";
            return batch.Select(_ => HandlerOutcome.Fail(why)).ToList();
        }
    }

    private InferenceResult Result(InferenceRequest r, InferenceStatus status, IReadOnlyList<WireTensor> outputs, string error) =>
        new(r.Id, status, _model.Id, _model.Version, _handler.ModelSha256, _node, r.InputIdentity, error, outputs);

    private async Task PublishAndAckAsync(List<Delivery> deliveries, List<(string ReplyTo, InferenceResult Result)> results)
    {
        try
        {
            var delay = _config.Timeouts.ReconnectMin;
            foreach (var group in results.GroupBy(x => x.ReplyTo))
            {
                var body = FrameCodec.EncodeResults(group.Select(x => x.Result).ToList());
                var props = new BasicProperties { DeliveryMode = DeliveryModes.Persistent };
                while (true)
                {
                    try
                    {
                        await _publishChannel!.BasicPublishAsync("", group.Key, mandatory: false, props, body).ConfigureAwait(false);
                        break;
                    }
                    catch (Exception) when (!_stop.IsCancellationRequested)
                    {
                        // Broker away: retry until confirmed; the requests stay unacknowledged meanwhile.
                        await Task.Delay(delay).ConfigureAwait(false);
                        delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _config.Timeouts.ReconnectMax.Ticks));
                    }
                }
            }
            foreach (var d in deliveries)
            {
                if (d.Generation != Interlocked.Read(ref _generation)) continue; // redelivered by the broker instead
                try { await _consumeChannel!.BasicAckAsync(d.Tag, multiple: false).ConfigureAwait(false); }
                catch (Exception) { /* connection lost: the broker redelivers; the requester drops the duplicate */ }
            }
        }
        finally
        {
            int n = deliveries.Sum(d => d.Requests.Count);
            Interlocked.Add(ref _processed, n);
            Interlocked.Add(ref _inHand, -n);
            _publishSlots.Release();
        }
    }

    /// <summary>
    /// Graceful drain: stops consuming, finishes and acknowledges every request already delivered,
    /// then closes the channels. Returns when done or when <paramref name="timeout"/> passes.
    /// </summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        try
        {
            if (_consumerTag is not null && _consumeChannel is { IsOpen: true })
            {
                await _consumeChannel.BasicCancelAsync(_consumerTag).ConfigureAwait(false);
                // Unregistered fires after every earlier delivery was dispatched to the inbox.
                await _unregistered.Task.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
        }
        catch (Exception) { /* broker away: held requests will be redelivered */ }
        _inbox.Writer.TryComplete();
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            if (_worker is not null) await _worker.WaitAsync(limit.Token).ConfigureAwait(false);
            // A fast-path batch may still run, and results may still be publishing: each holds the gate or a slot until done.
            await _runGate.WaitAsync(limit.Token).ConfigureAwait(false);
            for (int i = 0; i < PublishSlots; i++) await _publishSlots.WaitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { /* drain time is up: what is left unacknowledged is redelivered */ }
    }

    /// <summary>Stops without draining: held requests are redelivered by the broker.</summary>
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _inbox.Writer.TryComplete();
        foreach (var ch in new[] { _consumeChannel, _publishChannel })
        {
            if (ch is null) continue;
            try { await ch.CloseAsync().ConfigureAwait(false); } catch (Exception) { }
            ch.Dispose();
        }
    }
}
