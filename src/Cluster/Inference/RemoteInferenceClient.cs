using System.Collections.Concurrent;
using System.Threading.Channels;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Vigil.Cluster.Broker;
using Vigil.Cluster.Configuration;
using Vigil.Cluster.Wire;

namespace Vigil.Cluster.Inference;

/// <summary>
/// The requesting side of remote inference, usable as a stream stage
/// (<c>SelectAsync(n, r =&gt; client.InferAsync(r))</c>). Requests are packed into frames (several
/// per broker message), published on several confirm channels with a window of unconfirmed
/// messages each, and republished when the broker does not confirm them. Results arrive on this
/// client's durable reply queue and are matched by request id; a second result for the same id is
/// dropped. At most <see cref="ClientSettings.MaxInFlight"/> requests are admitted and unanswered:
/// <see cref="SendAsync"/> waits beyond that, so backpressure crosses the network, and while the
/// broker is away ingest stops at that bound. Every admitted request gets exactly one
/// <see cref="InferenceResult"/>: from a node, or a local <see cref="InferenceStatus.DeadlineExceeded"/>
/// once its deadline passes.
/// </summary>
public sealed class RemoteInferenceClient : IAsyncDisposable
{
    private sealed class Pending(InferenceRequest request, string queue, int size)
    {
        public InferenceRequest Request { get; } = request;
        public string Queue { get; } = queue;
        public int Size { get; } = size;
        public TaskCompletionSource<InferenceResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public volatile bool Done;
    }

    /// <summary>A publishing channel and its window of unconfirmed broker messages.</summary>
    private sealed class Lane(IChannel channel, int window)
    {
        public IChannel Channel { get; } = channel;
        public SemaphoreSlim Window { get; } = new(window, window);
    }

    private readonly ClusterConfig _config;
    private readonly IConnection _connection;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<Guid, Pending> _pending = new();
    private readonly Channel<Pending> _outbox = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly ConcurrentDictionary<string, bool> _declared = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _publishers = new();
    private readonly List<Lane> _lanes = new();
    private int _nextLane;
    private readonly SemaphoreSlim _declareGate = new(1, 1);
    private IChannel? _replyChannel;
    private ITimer? _sweeper;
    private long _admitted, _results, _duplicates, _expired, _republished, _frames;
    private int _consecutiveFailures;
    private string _lastError = "";
    private int _disposed;

    /// <summary>This client's name (it names the reply queue).</summary>
    public string Name { get; }

    /// <summary>Name of the durable queue results come back on.</summary>
    public string ReplyQueue => Topology.ReplyQueue(Name);

    private RemoteInferenceClient(ClusterConfig config, IConnection connection, string name, TimeProvider time)
    {
        _config = config; _connection = connection; Name = name; _time = time;
        _slots = new SemaphoreSlim(config.Client.MaxInFlight, config.Client.MaxInFlight);
    }

    /// <summary>Connects to the broker in <paramref name="config"/> and starts the client.</summary>
    /// <param name="config">Cluster configuration ([broker], [client], [timeouts]).</param>
    /// <param name="clientName">Unique name; default: node name plus a random suffix.</param>
    /// <param name="time">Clock for deadlines (tests pass a manual clock).</param>
    /// <param name="ct">Cancels connecting.</param>
    public static async Task<RemoteInferenceClient> ConnectAsync(
        ClusterConfig config, string? clientName = null, TimeProvider? time = null, CancellationToken ct = default)
    {
        string name = clientName ?? $"{config.Node.Name}-{Guid.NewGuid():N}"[..(config.Node.Name.Length + 13)];
        var connection = await BrokerConnector.ConnectAsync(config, "vigil-client-" + name, TimeSpan.FromSeconds(15), ct).ConfigureAwait(false);
        var client = new RemoteInferenceClient(config, connection, name, time ?? TimeProvider.System);
        try { await client.StartAsync(ct).ConfigureAwait(false); }
        catch { await client.DisposeAsync().ConfigureAwait(false); throw; }
        return client;
    }

    private async Task StartAsync(CancellationToken ct)
    {
        _replyChannel = await _connection.CreateChannelAsync(cancellationToken: ct).ConfigureAwait(false);
        var expiry = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(5).Ticks, _config.Timeouts.Request.Ticks * 10));
        await Topology.DeclareReplyQueueAsync(_replyChannel, Name, expiry, ct).ConfigureAwait(false);
        await _replyChannel.BasicQosAsync(0, 256, false, ct).ConfigureAwait(false);
        var consumer = new AsyncEventingBasicConsumer(_replyChannel);
        consumer.ReceivedAsync += OnResultsAsync;
        await _replyChannel.BasicConsumeAsync(ReplyQueue, autoAck: false, consumer, ct).ConfigureAwait(false);

        for (int i = 0; i < _config.Client.Channels; i++)
        {
            var channel = await _connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true,
                    outstandingPublisherConfirmationsRateLimiter: new ThrottlingRateLimiter(_config.Client.ConfirmWindow * 2)),
                ct).ConfigureAwait(false);
            var lane = new Lane(channel, _config.Client.ConfirmWindow);
            _lanes.Add(lane);
            _publishers.Add(Task.Run(() => PublishLoopAsync(lane)));
        }
        var period = TimeSpan.FromMilliseconds(Math.Clamp(_config.Timeouts.Request.TotalMilliseconds / 20, 10, 100));
        _sweeper = _time.CreateTimer(_ => SweepExpired(), null, period, period);
    }

    /// <summary>Builds a request with a fresh id and the configured default deadline.</summary>
    public InferenceRequest CreateRequest(string modelId, string modelVersion, IReadOnlyList<WireTensor> inputs,
        byte priority = 0, string inputIdentity = "", TimeSpan? timeout = null) =>
        new(Guid.NewGuid(), modelId, modelVersion, inputs, _time.GetUtcNow() + (timeout ?? _config.Timeouts.Request), priority, inputIdentity);

    /// <summary>
    /// Admits <paramref name="request"/> — waiting while <see cref="ClientSettings.MaxInFlight"/> requests
    /// are unanswered — and returns the task of its one result.
    /// </summary>
    public async ValueTask<Task<InferenceResult>> SendAsync(InferenceRequest request, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await _slots.WaitAsync(ct).ConfigureAwait(false);
        var pending = new Pending(request, Topology.ModelQueue(request.ModelId, request.ModelVersion), FrameCodec.SizeOf(request));
        if (!_pending.TryAdd(request.Id, pending))
        {
            _slots.Release();
            throw new ArgumentException($"request id {request.Id} is already in flight", nameof(request));
        }
        Interlocked.Increment(ref _admitted);
        if (request.Deadline <= _time.GetUtcNow()) Expire(pending, "its deadline had passed when it was sent");
        else if (!TryPublishDirectly(pending)) _outbox.Writer.TryWrite(pending);
        return pending.Result.Task;
    }

    /// <summary>
    /// The idle fast path: when this is the only unanswered request and a channel has room in its
    /// confirm window, it is published from the caller's thread, saving the hop to a publish loop.
    /// Under load requests still go through the loops and are packed several per broker message.
    /// </summary>
    private bool TryPublishDirectly(Pending pending)
    {
        // Idle means this is the only unanswered request: with more in flight, the publish loops pack them into frames.
        if (!_config.Client.DirectPublish || _slots.CurrentCount != _config.Client.MaxInFlight - 1 || _outbox.Reader.Count > 0
            || !_declared.ContainsKey(pending.Queue)) return false;
        int start = (int)((uint)Interlocked.Increment(ref _nextLane) % (uint)_lanes.Count);
        for (int i = 0; i < _lanes.Count; i++)
        {
            var lane = _lanes[(start + i) % _lanes.Count];
            if (!lane.Window.Wait(0)) continue;
            _ = PublishFrameAsync(lane.Channel, pending.Queue, [pending], lane.Window);
            return true;
        }
        return false;
    }

    /// <summary>Sends <paramref name="request"/> and waits for its result.</summary>
    public async Task<InferenceResult> InferAsync(InferenceRequest request, CancellationToken ct = default) =>
        await (await SendAsync(request, ct).ConfigureAwait(false)).WaitAsync(ct).ConfigureAwait(false);

    /// <summary>A snapshot of the counters.</summary>
    public ClientMetrics Metrics => new(
        _pending.Count, Interlocked.Read(ref _admitted), Interlocked.Read(ref _results), Interlocked.Read(ref _duplicates),
        Interlocked.Read(ref _expired), Interlocked.Read(ref _republished), Interlocked.Read(ref _frames), _lastError);

    private async Task PublishLoopAsync(Lane lane)
    {
        var (channel, window) = (lane.Channel, lane.Window);
        var frame = new List<Pending>();
        var reader = _outbox.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                await window.WaitAsync(_stop.Token).ConfigureAwait(false);
                frame.Clear();
                int bytes = 0;
                string? queue = null;
                while (frame.Count < _config.Client.FrameMaxRequests && bytes < _config.Client.FrameMaxBytes && reader.TryPeek(out var next))
                {
                    // A frame goes to one model queue: stop at the first request for another model.
                    if (queue is not null && next.Queue != queue) break;
                    if (frame.Count > 0 && bytes + next.Size > _config.Client.FrameMaxBytes) break;
                    if (!reader.TryRead(out var p)) break;
                    if (p.Done) continue;
                    // Another publisher may have taken the peeked one: never mix models in a frame.
                    if (queue is not null && p.Queue != queue) { _outbox.Writer.TryWrite(p); break; }
                    queue ??= p.Queue;
                    frame.Add(p); bytes += p.Size;
                }
                if (frame.Count == 0) { window.Release(); continue; }
                _ = PublishFrameAsync(channel, queue!, frame.ToArray(), window);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
    }

    private async Task PublishFrameAsync(IChannel channel, string queue, Pending[] items, SemaphoreSlim window)
    {
        try
        {
            await EnsureQueueAsync(items[0].Request).ConfigureAwait(false);
            var body = FrameCodec.EncodeRequests(items.Select(p => p.Request).ToArray());
            var props = new BasicProperties { ReplyTo = ReplyQueue, DeliveryMode = DeliveryModes.Persistent };
            // With confirmation tracking on, this completes when the broker confirms (or throws on nack/return/loss).
            await channel.BasicPublishAsync("", queue, mandatory: true, props, body, _stop.Token).ConfigureAwait(false);
            Interlocked.Increment(ref _frames);
            Interlocked.Exchange(ref _consecutiveFailures, 0);
        }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            // Not confirmed: the broker may or may not hold it. Publish again; a duplicate result is dropped by id.
            _lastError = $"{DateTime.UtcNow:HH:mm:ss.fff} publishing to {queue}: {e.GetType().Name}: {e.Message}";
            if (e is RabbitMQ.Client.Exceptions.PublishException { IsReturn: true }) _declared.TryRemove(queue, out _);
            int failures = Interlocked.Increment(ref _consecutiveFailures);
            var backoff = TimeSpan.FromTicks(Math.Min(_config.Timeouts.ReconnectMax.Ticks,
                _config.Timeouts.ReconnectMin.Ticks << Math.Min(failures - 1, 16)));
            try { await Task.Delay(backoff, _stop.Token).ConfigureAwait(false); } catch (OperationCanceledException) { }
            foreach (var p in items)
                if (!p.Done) { Interlocked.Increment(ref _republished); _outbox.Writer.TryWrite(p); }
        }
        catch (Exception) { /* stopping */ }
        finally { window.Release(); }
    }

    private async Task EnsureQueueAsync(InferenceRequest request)
    {
        string queue = Topology.ModelQueue(request.ModelId, request.ModelVersion);
        if (_declared.ContainsKey(queue)) return;
        await _declareGate.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            if (_declared.ContainsKey(queue)) return;
            await RequestQueues.EnsureExistsAsync(_connection, queue, _config.Broker.RequestQueueType, _stop.Token).ConfigureAwait(false);
            _declared[queue] = true;
        }
        finally { _declareGate.Release(); }
    }

    private async Task OnResultsAsync(object sender, BasicDeliverEventArgs delivery)
    {
        try
        {
            foreach (var result in FrameCodec.DecodeResults(delivery.Body.Span)) Complete(result.RequestId, result);
        }
        catch (FrameFormatException e)
        {
            _lastError = $"result frame on {ReplyQueue} dropped: {e.Message}";
        }
        try { await _replyChannel!.BasicAckAsync(delivery.DeliveryTag, false).ConfigureAwait(false); }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.AlreadyClosedException or ObjectDisposedException)
        {
            // The broker will deliver it again after recovery; the repeat is dropped as a duplicate.
        }
    }

    private void Complete(Guid id, InferenceResult result)
    {
        if (!_pending.TryRemove(id, out var pending)) { Interlocked.Increment(ref _duplicates); return; }
        pending.Done = true;
        Interlocked.Increment(ref _results);
        pending.Result.TrySetResult(result);
        _slots.Release();
    }

    private void Expire(Pending p, string why)
    {
        var r = p.Request;
        string error = $"request {r.Id} for model {r.ModelId} v{r.ModelVersion} failed: {why} (deadline {r.Deadline:O}, no result from any node)";
        if (_lastError.Length > 0) error += $"; last broker error: {_lastError}";
        if (_pending.ContainsKey(r.Id)) Interlocked.Increment(ref _expired);
        Complete(r.Id, new InferenceResult(r.Id, InferenceStatus.DeadlineExceeded, r.ModelId, r.ModelVersion, "", "", r.InputIdentity, error, []));
    }

    private void SweepExpired()
    {
        var now = _time.GetUtcNow();
        foreach (var (_, p) in _pending)
            if (p.Request.Deadline <= now) Expire(p, "its deadline passed");
    }

    /// <summary>
    /// Stops the client: unanswered requests complete with a failure saying the client closed,
    /// the reply queue is deleted and the connection closed.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop.Cancel();
        _outbox.Writer.TryComplete();
        if (_sweeper is not null) await _sweeper.DisposeAsync().ConfigureAwait(false);
        foreach (var (id, p) in _pending)
            Complete(id, new InferenceResult(id, InferenceStatus.Failed, p.Request.ModelId, p.Request.ModelVersion, "", "",
                p.Request.InputIdentity, $"request {id} abandoned: the client {Name} was closed before a result arrived", []));
        try { await Task.WhenAll(_publishers).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false); } catch (Exception) { }
        try
        {
            if (_replyChannel is { IsOpen: true })
                await _replyChannel.QueueDeleteAsync(ReplyQueue, ifUnused: false, ifEmpty: false).ConfigureAwait(false);
        }
        catch (Exception) { /* best effort: the queue also expires when unused */ }
        try { await _connection.CloseAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false); } catch (Exception) { }
        _connection.Dispose();
    }
}
