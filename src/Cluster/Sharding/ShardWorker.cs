using System.Threading.Channels;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Vigil.Cluster.Broker;
using Vigil.Cluster.Configuration;
using Vigil.Cluster.Node;
using Vigil.Cluster.Wire;

namespace Vigil.Cluster.Sharding;

/// <summary>
/// The shard role of a node: its durable queue is bound to the ring's consistent-hash exchange, so
/// each patient's windows reach exactly one node and, from one queue, arrive in order. Windows
/// are processed one at a time by a per-patient <see cref="IPatientFunction"/>; each output is
/// published (confirmed) before the window is acknowledged.
/// <para>Moves (see docs/cluster.md): a node that sees a patient for the first time at window
/// s &gt; 0 holds the windows and asks the ring for the patient's state; the previous owner answers
/// once it has processed window s−1, and drops the patient. A node leaving gracefully unbinds its
/// queue, finishes what is queued, and hands every patient's state to its new owner through the
/// ring. When no state arrives within the hand-off timeout (the owner was killed), the patient is
/// started afresh at the held window and its next output is flagged <see cref="PatientMessage.StateRebuilt"/>.</para>
/// <para>Takeover: a shard node silent for <c>node_expiry</c> has its queue consumed by one survivor
/// (<see cref="ShardPeers"/>); the queue's single active consumer keeps it to one node at a time.
/// Its patients restart from their next window, flagged; the queue is released when the owner returns.</para>
/// </summary>
public sealed class ShardWorker : IAsyncDisposable
{
    private abstract record Item;
    /// <summary>A window, the channel it came on, and the dead node whose queue it came from (null: this node's own queue).</summary>
    private sealed record WindowItem(IChannel Channel, ulong Tag, long Generation, PatientMessage Message, string? TakenOverFrom) : Item;
    private sealed record StateItem(IChannel? Channel, ulong? Tag, long Generation, PatientMessage Message) : Item;
    private sealed record HeartbeatItem(NodeHeartbeat Heartbeat) : Item;
    private sealed record ReleaseAllItem(TaskCompletionSource Done) : Item;
    private sealed record RequestItem(PatientMessage Message) : Item;
    private sealed record TickItem : Item;
    private sealed record LeaveItem(TaskCompletionSource Done) : Item;

    /// <summary>A dead node's queue this node consumes, on its own channel.</summary>
    private sealed record Takeover(string Node, string Queue, IChannel Channel, string ConsumerTag);

    private sealed class Patient
    {
        public IPatientFunction? Function;
        public long LastSeq = -1;
        public readonly SortedDictionary<long, WindowItem> Held = new();
        public DateTimeOffset? WaitingSince;
        public readonly List<PatientMessage> Requests = new();
        public string Caveat = "";
    }

    private readonly ClusterConfig _config;
    private readonly IConnection _connection;
    private readonly IPatientFunctionFactory _factory;
    private readonly TextWriter _log;
    private readonly TimeProvider _time;
    private readonly string _ring, _queue, _node;
    private readonly Dictionary<string, Patient> _patients = new(StringComparer.Ordinal);
    private readonly ShardPeers _peers;
    private readonly Dictionary<string, Takeover> _takeovers = new(StringComparer.Ordinal);
    // Channels of released takeovers: kept open until disposal so windows already delivered on them can still be acknowledged.
    private readonly List<IChannel> _released = new();
    private volatile bool _leaving;
    private volatile string[] _takenOver = [];
    private readonly Channel<Item> _inbox = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private IChannel? _consume, _control, _publish;
    private string? _consumerTag, _controlQueue;
    private long _takeoverCount, _ticks, _peerBeats;
    private Task? _worker;
    private ITimer? _ticker;
    private long _generation, _unacked, _windows, _duplicates, _rebuilt, _handedOver;
    private int _patientCount, _held;

    /// <summary>Patients whose state this node holds.</summary>
    public int PatientCount => Volatile.Read(ref _patientCount);
    /// <summary>Windows held back (waiting for a hand-off or a missing window).</summary>
    public int HeldWindows => Volatile.Read(ref _held);
    /// <summary>Windows processed since start.</summary>
    public long WindowsProcessed => Interlocked.Read(ref _windows);
    /// <summary>Windows dropped because they were already processed (redeliveries).</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);
    /// <summary>Patients started afresh because no state was handed over in time.</summary>
    public long Rebuilt => Interlocked.Read(ref _rebuilt);
    /// <summary>Patient states handed to other nodes.</summary>
    public long HandedOver => Interlocked.Read(ref _handedOver);
    /// <summary>Dead nodes whose queues this node consumes now.</summary>
    public IReadOnlyList<string> TakenOver => _takenOver;
    /// <summary>Ticks processed by the work loop (tests wait on it after advancing a manual clock).</summary>
    internal long TicksProcessed => Interlocked.Read(ref _ticks);
    /// <summary>Heartbeats of other shard nodes of this ring received.</summary>
    internal long PeerHeartbeats => Interlocked.Read(ref _peerBeats);
    /// <summary>Dead nodes' queues taken over since start.</summary>
    public long Takeovers => Interlocked.Read(ref _takeoverCount);

    /// <summary>Creates the worker; call <see cref="StartAsync"/>.</summary>
    public ShardWorker(ClusterConfig config, IConnection connection, IPatientFunctionFactory factory, TextWriter log, TimeProvider? time = null)
    {
        _config = config; _connection = connection; _factory = factory; _log = log; _time = time ?? TimeProvider.System;
        _ring = config.Shard.Ring; _node = config.Node.Name; _queue = Topology.ShardQueue(_ring, _node);
        _peers = new ShardPeers(_node, _ring, config.Timeouts.NodeExpiry);
    }

    /// <summary>Declares the ring and this node's queue, starts consuming, then joins the ring.</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        _connection.ConnectionShutdownAsync += (_, _) =>
        {
            Interlocked.Increment(ref _generation);
            Interlocked.Exchange(ref _unacked, 0);
            return Task.CompletedTask;
        };
        _publish = await _connection.CreateChannelAsync(new CreateChannelOptions(true, true), ct).ConfigureAwait(false);
        _consume = await _connection.CreateChannelAsync(cancellationToken: ct).ConfigureAwait(false);
        await Topology.DeclareRingAsync(_consume, _ring, ct).ConfigureAwait(false);
        await Topology.DeclareShardQueueAsync(_connection, _queue, Log, ct).ConfigureAwait(false);
        await _consume.BasicQosAsync(0, (ushort)Math.Min(_config.Shard.Prefetch, ushort.MaxValue), false, ct).ConfigureAwait(false);

        _control = await _connection.CreateChannelAsync(cancellationToken: ct).ConfigureAwait(false);
        var declared = await _control.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true, cancellationToken: ct).ConfigureAwait(false);
        _controlQueue = declared.QueueName;
        await _control.QueueBindAsync(_controlQueue, Topology.ShardControlExchange(_ring), "", cancellationToken: ct).ConfigureAwait(false);
        var controlConsumer = new AsyncEventingBasicConsumer(_control);
        controlConsumer.ReceivedAsync += (_, e) =>
        {
            if (TryDecode(e.Body.Span) is { } m)
                _inbox.Writer.TryWrite(m.Kind == PatientMessageKind.State ? new StateItem(null, null, 0, m) : new RequestItem(m));
            return Task.CompletedTask;
        };
        await _control.BasicConsumeAsync(_controlQueue, autoAck: true, controlConsumer, ct).ConfigureAwait(false);

        // Heartbeats of the other shard nodes: a node that falls silent has its queue taken over.
        await Topology.DeclareHeartbeatExchangeAsync(_control, ct).ConfigureAwait(false);
        var beats = (await _control.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true, cancellationToken: ct).ConfigureAwait(false)).QueueName;
        await _control.QueueBindAsync(beats, Topology.HeartbeatExchange, "", cancellationToken: ct).ConfigureAwait(false);
        var beatConsumer = new AsyncEventingBasicConsumer(_control);
        beatConsumer.ReceivedAsync += (_, e) =>
        {
            if (NodeHeartbeat.TryParse(e.Body.Span) is { } hb) _inbox.Writer.TryWrite(new HeartbeatItem(hb));
            return Task.CompletedTask;
        };
        await _control.BasicConsumeAsync(beats, autoAck: true, beatConsumer, ct).ConfigureAwait(false);

        _worker = Task.Run(WorkLoopAsync);
        _ticker = _time.CreateTimer(_ => _inbox.Writer.TryWrite(new TickItem()), null, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100));

        var consumer = new AsyncEventingBasicConsumer(_consume);
        consumer.ReceivedAsync += Deliveries(_consume, _queue, null);
        _consumerTag = await _consume.BasicConsumeAsync(_queue, autoAck: false, consumer, ct).ConfigureAwait(false);
        // Joining the ring last: windows only route here once this node is ready for them.
        await _consume.QueueBindAsync(_queue, _ring, _config.Shard.Weight.ToString(System.Globalization.CultureInfo.InvariantCulture),
            cancellationToken: ct).ConfigureAwait(false);
        Log($"joined patient ring {_ring} with weight {_config.Shard.Weight}");
    }

    private static PatientMessage? TryDecode(ReadOnlySpan<byte> body)
    {
        try { return PatientMessage.Decode(body); } catch (FrameFormatException) { return null; }
    }

    /// <summary>The delivery handler of a shard queue consumed on <paramref name="channel"/>.</summary>
    private AsyncEventHandler<BasicDeliverEventArgs> Deliveries(IChannel channel, string queue, string? takenOverFrom) => async (_, e) =>
    {
        long generation = Interlocked.Read(ref _generation);
        var m = TryDecode(e.Body.Span);
        if (m is null || m.Kind is not (PatientMessageKind.Window or PatientMessageKind.State))
        {
            Log($"dropped a malformed message on {queue}");
            await channel.BasicRejectAsync(e.DeliveryTag, requeue: false).ConfigureAwait(false);
            return;
        }
        Interlocked.Increment(ref _unacked);
        _inbox.Writer.TryWrite(m.Kind == PatientMessageKind.Window
            ? new WindowItem(channel, e.DeliveryTag, generation, m, takenOverFrom)
            : new StateItem(channel, e.DeliveryTag, generation, m));
    };

    private async Task WorkLoopAsync()
    {
        await foreach (var item in _inbox.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                switch (item)
                {
                    case WindowItem w: await OnWindowAsync(w).ConfigureAwait(false); break;
                    case StateItem s: await OnStateAsync(s).ConfigureAwait(false); break;
                    case RequestItem r: await OnRequestAsync(r.Message).ConfigureAwait(false); break;
                    case TickItem: await OnTickAsync().ConfigureAwait(false); Interlocked.Increment(ref _ticks); break;
                    case HeartbeatItem h: _peers.Observe(h.Heartbeat, _time.GetUtcNow()); Interlocked.Exchange(ref _peerBeats, _peers.Observed); break;
                    case ReleaseAllItem r: await ReviewTakeoversAsync(_time.GetUtcNow()).ConfigureAwait(false); r.Done.TrySetResult(); break;
                    case LeaveItem l: await HandOverAllAsync().ConfigureAwait(false); l.Done.TrySetResult(); break;
                }
            }
            catch (Exception e) when (!_stop.IsCancellationRequested)
            {
                Log($"shard worker error ({item.GetType().Name}): {e.Message}");
            }
            Volatile.Write(ref _patientCount, _patients.Count);
            Volatile.Write(ref _held, _patients.Values.Sum(p => p.Held.Count));
        }
    }

    private async Task OnWindowAsync(WindowItem w)
    {
        var m = w.Message;
        if (!_patients.TryGetValue(m.Patient, out var st))
        {
            st = new Patient();
            _patients[m.Patient] = st;
            if (m.Seq == 0) st.Function = _factory.Create(m.Patient, null);
            else if (w.TakenOverFrom is { } dead)
            {
                // Its owner died with the state: rebuild from this window on (a snapshot queued before it would have come first).
                st.Function = _factory.Create(m.Patient, null);
                st.LastSeq = m.Seq - 1;
                st.Caveat = $"node {dead} stopped (no heartbeat for {_config.Timeouts.NodeExpiry.TotalSeconds:0.#} s) holding the state of patient " +
                            $"{m.Patient}; node {_node} took over its windows and rebuilt the state from window {m.Seq} on";
                Interlocked.Increment(ref _rebuilt);
                Log(st.Caveat);
            }
            else
            {
                // The patient moved here: hold its windows until its state arrives.
                st.WaitingSince = _time.GetUtcNow();
                st.Held[m.Seq] = w;
                await PublishAsync(Topology.ShardControlExchange(_ring), "",
                    new PatientMessage(PatientMessageKind.StateRequest, m.Patient, m.Seq, m.EventTime, _node, 0, _controlQueue!, ReadOnlyMemory<byte>.Empty))
                    .ConfigureAwait(false);
                return;
            }
        }
        if (st.Function is not null && m.Seq <= st.LastSeq) { Interlocked.Increment(ref _duplicates); await AckAsync(w.Channel, w.Tag, w.Generation).ConfigureAwait(false); return; }
        if (st.Held.TryGetValue(m.Seq, out var existing))
        {
            Interlocked.Increment(ref _duplicates);
            if (existing.Generation == w.Generation) { await AckAsync(w.Channel, w.Tag, w.Generation).ConfigureAwait(false); return; }
        }
        st.Held[m.Seq] = w;
        if (st.Function is null) return;
        await DrainAsync(m.Patient, st).ConfigureAwait(false);
    }

    private async Task DrainAsync(string patient, Patient st)
    {
        while (st.Held.Remove(st.LastSeq + 1, out var next)) await ProcessAsync(patient, st, next).ConfigureAwait(false);
        // Anything still held is past a gap: wait for the missing windows (or time out in OnTickAsync).
        st.WaitingSince = st.Held.Count == 0 ? null : st.WaitingSince ?? _time.GetUtcNow();
        var request = st.Requests.FirstOrDefault(r => st.LastSeq >= r.Seq - 1);
        if (request is not null) await HandOverAsync(patient, st, request.Note).ConfigureAwait(false);
    }

    private async Task ProcessAsync(string patient, Patient st, WindowItem w)
    {
        var output = st.Function!.Process(w.Message.Seq, w.Message.Payload.Span);
        st.LastSeq = w.Message.Seq;
        byte flags = st.Caveat.Length > 0 ? PatientMessage.StateRebuilt : (byte)0;
        var message = new PatientMessage(PatientMessageKind.Output, patient, w.Message.Seq, w.Message.EventTime, _node, flags, st.Caveat, output);
        st.Caveat = "";
        await PublishAsync(Topology.ShardResultsExchange(_ring), "", message).ConfigureAwait(false);
        await AckAsync(w.Channel, w.Tag, w.Generation).ConfigureAwait(false);
        Interlocked.Increment(ref _windows);
    }

    private async Task OnStateAsync(StateItem s)
    {
        var m = s.Message;
        if (!_patients.TryGetValue(m.Patient, out var st))
        {
            _patients[m.Patient] = new Patient { Function = _factory.Create(m.Patient, m.Payload.ToArray()), LastSeq = m.Seq };
            Log($"patient {m.Patient} handed over by {m.Node} at window {m.Seq}");
        }
        else if (st.Function is null)
        {
            st.Function = _factory.Create(m.Patient, m.Payload.ToArray());
            st.LastSeq = m.Seq;
            st.WaitingSince = null;
            foreach (var seq in st.Held.Keys.Where(k => k <= m.Seq).ToList())
            {
                st.Held.Remove(seq, out var old);
                Interlocked.Increment(ref _duplicates);
                await AckAsync(old!.Channel, old.Tag, old.Generation).ConfigureAwait(false);
            }
            Log($"patient {m.Patient} handed over by {m.Node} at window {m.Seq}; {st.Held.Count} windows were waiting");
            await DrainAsync(m.Patient, st).ConfigureAwait(false);
        }
        // else: this node already started the patient afresh after the hand-off timeout; the late state is ignored.
        if (s is { Channel: { } channel, Tag: { } tag }) await AckAsync(channel, tag, s.Generation).ConfigureAwait(false);
    }

    private async Task OnRequestAsync(PatientMessage request)
    {
        if (request.Node == _node || !_patients.TryGetValue(request.Patient, out var st) || st.Function is null) return;
        if (st.LastSeq >= request.Seq - 1) await HandOverAsync(request.Patient, st, request.Note).ConfigureAwait(false);
        else st.Requests.Add(request); // answered once window Seq-1 has been processed here
    }

    private async Task OnTickAsync()
    {
        var now = _time.GetUtcNow();
        await ReviewTakeoversAsync(now).ConfigureAwait(false);
        foreach (var (patient, st) in _patients.ToList())
        {
            if (st.WaitingSince is not { } since || now - since < _config.Timeouts.Handoff || st.Held.Count == 0) continue;
            long first = st.Held.Keys.First();
            if (st.Function is null)
            {
                st.Function = _factory.Create(patient, null);
                st.Caveat = $"state of patient {patient} was not handed over within {_config.Timeouts.Handoff.TotalSeconds:0.#} s: started afresh at window {first}";
            }
            else st.Caveat = $"windows {st.LastSeq + 1}..{first - 1} of patient {patient} did not arrive within {_config.Timeouts.Handoff.TotalSeconds:0.#} s";
            Log(st.Caveat);
            Interlocked.Increment(ref _rebuilt);
            st.LastSeq = first - 1;
            st.WaitingSince = null;
            await DrainAsync(patient, st).ConfigureAwait(false);
        }
    }

    /// <summary>Takes over the queues of dead peers (when this node is the designated survivor) and releases those whose owner is back.</summary>
    private async Task ReviewTakeoversAsync(DateTimeOffset now)
    {
        foreach (var (node, takeover) in _takeovers.ToList())
        {
            string? why = _leaving ? "this node is leaving" : _peers.IsAlive(node, now) ? $"node {node} is back"
                : !_peers.Knows(node) ? $"node {node} left and removed its queue" : null;
            if (why is not null) await ReleaseAsync(takeover, why).ConfigureAwait(false);
        }
        foreach (var dead in _peers.ToTakeOver(now, selfUp: !_leaving))
            if (!_takeovers.ContainsKey(dead)) await TakeOverAsync(dead, _peers.SilentFor(dead, now)).ConfigureAwait(false);
        _takenOver = _takeovers.Keys.Order(StringComparer.Ordinal).ToArray();
    }

    private async Task TakeOverAsync(string dead, TimeSpan silent)
    {
        string queue = Topology.ShardQueue(_ring, dead);
        // Its own channel: a failure on the dead node's queue must not close this node's consumer.
        var channel = await _connection.CreateChannelAsync().ConfigureAwait(false);
        try
        {
            await channel.QueueDeclarePassiveAsync(queue).ConfigureAwait(false);
            await channel.BasicQosAsync(0, (ushort)Math.Min(_config.Shard.Prefetch, ushort.MaxValue), false).ConfigureAwait(false);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += Deliveries(channel, queue, dead);
            string tag = await channel.BasicConsumeAsync(queue, autoAck: false, consumer).ConfigureAwait(false);
            _takeovers[dead] = new Takeover(dead, queue, channel, tag);
            Interlocked.Increment(ref _takeoverCount);
            Log($"took over the patients of node {dead} (no heartbeat for {silent.TotalSeconds:0.#} s): consuming its queue {queue}");
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            // It left and deleted its queue (its last heartbeat went missing): nothing to take over.
            _peers.Forget(dead);
            Log($"node {dead} is silent and its queue {queue} is gone: nothing to take over");
            channel.Dispose();
        }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.OperationInterruptedException or RabbitMQ.Client.Exceptions.AlreadyClosedException)
        {
            // The broker is away: tried again on the next tick.
            Log($"could not take over the queue {queue} of node {dead}: {e.Message}");
            try { await channel.CloseAsync().ConfigureAwait(false); } catch (Exception) { }
            channel.Dispose();
        }
    }

    private async Task ReleaseAsync(Takeover takeover, string why)
    {
        _takeovers.Remove(takeover.Node);
        // Cancelling keeps what was delivered here (processed and acknowledged on the still-open channel);
        // the queue's single active consumer passes to the owner, which asks for the moved patients' state.
        try { await takeover.Channel.BasicCancelAsync(takeover.ConsumerTag).ConfigureAwait(false); }
        catch (Exception e) { Log($"releasing {takeover.Queue}: {e.Message}"); }
        _released.Add(takeover.Channel);
        Log($"released the queue {takeover.Queue} of node {takeover.Node} ({why})");
    }

    private async Task HandOverAsync(string patient, Patient st, string? replyQueue)
    {
        var state = new PatientMessage(PatientMessageKind.State, patient, st.LastSeq, _time.GetUtcNow(), _node, 0, "", st.Function!.Snapshot());
        // Straight to the asker, or (leaving, nobody asked yet) through the ring to whoever owns the patient now.
        if (replyQueue is { Length: > 0 }) await PublishAsync("", replyQueue, state).ConfigureAwait(false);
        else await PublishAsync(_ring, patient, state).ConfigureAwait(false);
        _patients.Remove(patient);
        Interlocked.Increment(ref _handedOver);
    }

    private async Task HandOverAllAsync()
    {
        foreach (var (patient, st) in _patients.ToList())
            if (st.Function is not null) await HandOverAsync(patient, st, st.Requests.FirstOrDefault()?.Note).ConfigureAwait(false);
    }

    private async Task PublishAsync(string exchange, string routingKey, PatientMessage message)
    {
        var body = message.Encode();
        var props = new BasicProperties { DeliveryMode = DeliveryModes.Persistent };
        var delay = _config.Timeouts.ReconnectMin;
        while (true)
        {
            try
            {
                await _publish!.BasicPublishAsync(exchange, routingKey, mandatory: false, props, body, _stop.Token).ConfigureAwait(false);
                return;
            }
            catch (Exception) when (!_stop.IsCancellationRequested)
            {
                await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _config.Timeouts.ReconnectMax.Ticks));
            }
        }
    }

    private async Task AckAsync(IChannel channel, ulong tag, long generation)
    {
        if (generation != Interlocked.Read(ref _generation)) return; // the broker redelivers it after recovery
        try
        {
            await channel.BasicAckAsync(tag, multiple: false).ConfigureAwait(false);
            Interlocked.Decrement(ref _unacked);
        }
        catch (Exception) { /* connection lost: redelivered, then dropped as a duplicate */ }
    }

    /// <summary>
    /// Leaves the ring gracefully: unbinds this node's queue (new windows go to the other nodes),
    /// processes what is still queued here, hands every patient's state over, then stops consuming
    /// and deletes the (empty) queue.
    /// </summary>
    public async Task LeaveAsync(TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        try
        {
            // Stop consuming dead nodes' queues first: another survivor takes them over.
            var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _leaving = true;
            _inbox.Writer.TryWrite(new ReleaseAllItem(released));
            await released.Task.WaitAsync(timeout).ConfigureAwait(false);
            await _consume!.QueueUnbindAsync(_queue, _ring, _config.Shard.Weight.ToString(System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
            Log($"unbound {_queue} from patient ring {_ring}: new windows go to the other nodes");
            while (true)
            {
                uint queued = (await _consume.QueueDeclarePassiveAsync(_queue).ConfigureAwait(false)).MessageCount;
                if ((queued == 0 && Interlocked.Read(ref _unacked) == 0) || DateTime.UtcNow > until) break;
                await Task.Delay(50).ConfigureAwait(false);
            }
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _inbox.Writer.TryWrite(new LeaveItem(done));
            await done.Task.WaitAsync(TimeSpan.FromSeconds(Math.Max(1, (until - DateTime.UtcNow).TotalSeconds))).ConfigureAwait(false);
            if (_consumerTag is not null) await _consume.BasicCancelAsync(_consumerTag).ConfigureAwait(false);
            // Quorum queues have no if-empty delete: delete only after checking it is empty (it is unbound, so it stays so).
            if ((await _consume.QueueDeclarePassiveAsync(_queue).ConfigureAwait(false)).MessageCount == 0 && Interlocked.Read(ref _unacked) == 0)
                await _consume.QueueDeleteAsync(_queue, ifUnused: false, ifEmpty: false).ConfigureAwait(false);
            Log($"left patient ring {_ring}: {HandedOver} patients handed over, {WindowsProcessed} windows processed");
        }
        catch (Exception e)
        {
            Log($"leaving the ring did not complete ({e.Message}); queued windows stay in {_queue}");
        }
    }

    private void Log(string message)
    {
        lock (_log) _log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} node {_node}: {message}");
    }

    /// <summary>Stops without handing over (held windows are redelivered to this node's queue).</summary>
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_ticker is not null) await _ticker.DisposeAsync().ConfigureAwait(false);
        _inbox.Writer.TryComplete();
        if (_worker is not null) try { await _worker.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false); } catch (Exception) { }
        foreach (var ch in new[] { _consume, _control, _publish }.Concat(_takeovers.Values.Select(t => t.Channel)).Concat(_released))
        {
            if (ch is null) continue;
            try { await ch.CloseAsync().ConfigureAwait(false); } catch (Exception) { }
            ch.Dispose();
        }
    }
}
