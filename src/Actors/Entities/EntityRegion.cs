using Microsoft.Extensions.Logging;
using Vigil.Actors.Internal;

namespace Vigil.Actors;

/// <summary>
/// Keyed entities (one actor per patient, device, model...), like cluster sharding's entities but
/// local: an entity is created by the factory on its key's first message, passivated after an idle
/// timeout or when the bound on live entities needs room (least recently used first), and created
/// again by the next message. Per-entity state lives in the actor; <see cref="Actor{TMessage}.OnPassivateAsync"/>
/// hands it out when the entity is passivated.
/// </summary>
/// <remarks>
/// No message is lost to passivation: an entity being passivated first processes what its mailbox
/// holds; messages arriving meanwhile are buffered (up to the mailbox capacity) and delivered, in
/// order, to a new incarnation created as soon as the old one has terminated. The same happens when
/// an entity stopped after a failure. Routing takes one lock per message and writes straight into
/// the entity's mailbox (no intermediate actor), so one busy entity does not slow the others.
/// </remarks>
/// <typeparam name="TKey">The entity key; its <see cref="object.ToString"/> (escaped) is the entity's path name.</typeparam>
/// <typeparam name="TMessage">The entities' message type.</typeparam>
public sealed class EntityRegion<TKey, TMessage> : ITopLevel where TKey : notnull
{
    private readonly ActorSystem _system;
    private readonly Func<TKey, Actor<TMessage>> _factory;
    private readonly EntityRegionOptions<TKey> _options;
    private readonly ActorOptions _entityOptions;
    private readonly ILogger _logger;
    // Guards everything below.
    private readonly object _gate = new();
    // Every entity that is live or passivating, by key.
    private readonly Dictionary<TKey, Slot> _slots = new();
    // Live (not passivating) entities, least recently used first; also the idle-expiry order,
    // because "used" means "received a message".
    private readonly LinkedList<Slot> _lru = new();
    // One timer for idle expiry, armed for the least recently used entity's deadline.
    private ITimer? _idleTimer;
    private bool _stopping;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal EntityRegion(ActorSystem system, ActorPath path, Func<TKey, Actor<TMessage>> factory, EntityRegionOptions<TKey> options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxLiveEntities, 1, nameof(options.MaxLiveEntities));
        if (options.IdleTimeout is { } idle && idle <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options.IdleTimeout), idle, "The idle timeout must be positive (or null to disable idle passivation).");
        _system = system;
        Path = path;
        _factory = factory;
        _options = options;
        _entityOptions = new ActorOptions { MailboxCapacity = options.MailboxCapacity, Supervision = options.Supervision };
        _logger = system.LoggerFactory.CreateLogger("Vigil.Actors.EntityRegion." + path.Name);
    }

    /// <summary>The region's path; entities live at <c>{Path}/{key}</c>.</summary>
    public ActorPath Path { get; }

    /// <summary>The region's name.</summary>
    public string Name => Path.Name;

    /// <summary>How many entities are live (passivating ones not counted).</summary>
    public int LiveCount { get { lock (_gate) return _lru.Count; } }

    /// <summary>Whether the entity for <paramref name="key"/> is live (created and not passivating).</summary>
    public bool IsLive(TKey key)
    {
        lock (_gate) return _slots.TryGetValue(key, out var s) && !s.Passivating;
    }

    /// <summary>A reference that routes to the entity for <paramref name="key"/>, whichever incarnation is current (use it for Ask).</summary>
    public IActorRef<TMessage> For(TKey key) => new EntityRef(this, key);

    /// <summary>
    /// Routes <paramref name="message"/> to the entity for <paramref name="key"/>, creating it if needed,
    /// without waiting. False (and a dead letter) when its mailbox or passivation buffer is full or the region is stopping.
    /// </summary>
    public bool Tell(TKey key, TMessage message)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (_stopping) return Reject(key, message, DeadLetterReason.ActorStopped);
            var slot = GetOrCreateLocked(key);
            if (slot.Passivating) return BufferLocked(slot, message);
            TouchLocked(slot);
            return slot.Cell.Tell(message);
        }
    }

    /// <summary>
    /// Routes <paramref name="message"/> to the entity for <paramref name="key"/>, waiting for room
    /// (backpressure). False (and a dead letter) only when the region is stopping.
    /// </summary>
    public async ValueTask<bool> TellAsync(TKey key, TMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        while (true)
        {
            ActorCell<TMessage> cell;
            Task? passivationDone = null;
            lock (_gate)
            {
                if (_stopping) return Reject(key, message, DeadLetterReason.ActorStopped);
                var slot = GetOrCreateLocked(key);
                if (slot.Passivating)
                {
                    if (slot.Buffer.Count < slot.Cell.Capacity) return BufferLocked(slot, message);
                    passivationDone = slot.PassivationDone.Task; // buffer full: wait for the new incarnation
                }
                else
                {
                    TouchLocked(slot);
                    if (slot.Cell.TryReserve()) return slot.Cell.WriteReserved(message);
                }
                cell = slot.Cell;
            }
            if (passivationDone is not null)
            {
                await passivationDone.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (!await cell.ReserveAsync(cancellationToken).ConfigureAwait(false)) continue; // closed meanwhile: route again
            lock (_gate)
            {
                if (_slots.TryGetValue(key, out var slot) && ReferenceEquals(slot.Cell, cell) && !slot.Passivating)
                    return cell.WriteReserved(message);
            }
            cell.ReleaseReservation(); // the entity began passivating while we waited: route again
        }
    }

    /// <summary>
    /// Passivates the entity for <paramref name="key"/> now and returns the state it handed out once it
    /// has drained and stopped (<c>null</c> when it was not live). Messages arriving meanwhile are
    /// buffered for a new incarnation, so stop routing to this key first when moving it elsewhere.
    /// </summary>
    public Task<object?> PassivateAsync(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (!_slots.TryGetValue(key, out var slot)) return Task.FromResult<object?>(null);
            var handoff = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
            (slot.HandoffWaiters ??= new()).Add(handoff);
            PassivateLocked(slot, PassivationReason.Requested);
            return handoff.Task;
        }
    }

    /// <summary>
    /// Stops the region: new messages are rejected (dead letters), every entity drains its mailbox and
    /// buffer, is passivated with <see cref="PassivationReason.Shutdown"/> and stops. Completes when all have.
    /// </summary>
    public Task StopAsync()
    {
        lock (_gate)
        {
            if (!_stopping)
            {
                _stopping = true;
                _idleTimer?.Dispose();
                foreach (var slot in _slots.Values.ToArray()) PassivateLocked(slot, PassivationReason.Shutdown);
                if (_slots.Count == 0) CompleteStopLocked();
            }
        }
        return _stopped.Task;
    }

    // ---------------- internals (all *Locked methods run under _gate) ----------------

    private Slot GetOrCreateLocked(TKey key)
    {
        if (_slots.TryGetValue(key, out var slot))
        {
            // An entity that stopped by itself (a Stop decision) is treated as passivating so the
            // message is buffered for the next incarnation rather than rejected.
            if (!slot.Passivating && slot.Cell.IsClosed) BeginPassivatingLocked(slot, null);
            return slot;
        }
        MakeRoomLocked();
        slot = new Slot(this, key);
        _slots.Add(key, slot);
        StartIncarnationLocked(slot);
        return slot;
    }

    private void StartIncarnationLocked(Slot slot)
    {
        var cell = _system.CreateCell<TMessage>(null, Path.Child(PathName(slot.Key)), () => _factory(slot.Key), _entityOptions);
        slot.Cell = cell;
        slot.Passivating = false;
        slot.Reason = null;
        cell.AddWatcher(slot);
        cell.Start();
        TouchLocked(slot);
    }

    private void TouchLocked(Slot slot)
    {
        slot.LastActive = _system.Time.GetUtcNow();
        if (slot.LruNode is null) slot.LruNode = _lru.AddLast(slot);
        else if (slot.LruNode != _lru.Last)
        {
            _lru.Remove(slot.LruNode);
            _lru.AddLast(slot.LruNode);
        }
        if (_lru.Count == 1) ArmIdleTimerLocked();
    }

    private void MakeRoomLocked()
    {
        while (_lru.Count >= _options.MaxLiveEntities && _lru.First is { } lru)
            PassivateLocked(lru.Value, PassivationReason.LeastRecentlyUsed);
    }

    private void PassivateLocked(Slot slot, PassivationReason reason)
    {
        if (slot.Passivating) return;
        BeginPassivatingLocked(slot, reason);
        slot.Cell.RequestStop(reason);
    }

    private void BeginPassivatingLocked(Slot slot, PassivationReason? reason)
    {
        slot.Passivating = true;
        slot.Reason = reason;
        slot.PassivationDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (slot.LruNode is not null)
        {
            _lru.Remove(slot.LruNode);
            slot.LruNode = null;
        }
    }

    private bool BufferLocked(Slot slot, TMessage message)
    {
        if (slot.Buffer.Count >= slot.Cell.Capacity) return Reject(slot.Key, message, DeadLetterReason.MailboxFull);
        // No work unit needed: the passivating incarnation stays active until it terminates, and the
        // next incarnation is started (active) before the old one releases its unit.
        slot.Buffer.Enqueue(message);
        return true;
    }

    private bool Reject(TKey key, TMessage message, DeadLetterReason reason)
    {
        _system.PublishDeadLetter(message, Path.Child(PathName(key)), reason, null);
        return false;
    }

    private void ArmIdleTimerLocked()
    {
        if (_options.IdleTimeout is not { } idle || _stopping) return;
        if (_lru.First is not { } head) return;
        var due = head.Value.LastActive + idle - _system.Time.GetUtcNow();
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        if (_idleTimer is null)
            _idleTimer = _system.Time.CreateTimer(static s => ((EntityRegion<TKey, TMessage>)s!).OnIdleTimer(), this, due, Timeout.InfiniteTimeSpan);
        else
            _idleTimer.Change(due, Timeout.InfiniteTimeSpan);
    }

    // The timer is armed for the oldest entity's deadline; entities touched since are simply skipped.
    private void OnIdleTimer()
    {
        lock (_gate)
        {
            if (_stopping || _options.IdleTimeout is not { } idle) return;
            var now = _system.Time.GetUtcNow();
            while (_lru.First is { } head && head.Value.LastActive + idle <= now)
                PassivateLocked(head.Value, PassivationReason.IdleTimeout);
            ArmIdleTimerLocked();
        }
    }

    private void CompleteStopLocked()
    {
        _system.OnRegionStopped(this);
        _stopped.TrySetResult();
    }

    /// <summary>
    /// An incarnation terminated: publish its hand-off first (so a factory that seeds a new
    /// incarnation from handed-out state finds it), then re-create the entity if messages wait.
    /// </summary>
    private void OnEntityTerminated(Slot slot, ActorCell<TMessage> cell)
    {
        var handoff = cell.Handoff.IsCompletedSuccessfully ? cell.Handoff.Result : null;
        PassivationReason? reason;
        List<TaskCompletionSource<object?>>? waiters;
        lock (_gate)
        {
            if (!IsCurrentLocked(slot, cell)) return;
            reason = slot.Reason;
            waiters = slot.HandoffWaiters;
            slot.HandoffWaiters = null;
        }
        if (reason is { } r)
        {
            ActorLog.Passivated(_logger, cell.Path, r);
            try { _options.OnPassivated?.Invoke(new EntityPassivated<TKey>(slot.Key, r, handoff)); }
            catch (Exception ex) { ActorLog.HookFailed(_logger, ex, cell.Path, nameof(EntityRegionOptions<TKey>.OnPassivated)); }
        }
        foreach (var w in waiters ?? []) w.TrySetResult(reason is null ? null : handoff);

        TaskCompletionSource passivationDone;
        lock (_gate)
        {
            // Messages that arrived meanwhile were buffered (the slot is still passivating).
            if (!IsCurrentLocked(slot, cell)) return;
            passivationDone = slot.PassivationDone;
            if (slot.Buffer.Count > 0)
            {
                if (!_stopping) MakeRoomLocked();
                StartIncarnationLocked(slot);
                while (slot.Buffer.TryDequeue(out var message))
                {
                    if (slot.Cell.TryReserve()) slot.Cell.WriteReserved(message);
                    else _system.PublishDeadLetter(message, slot.Cell.Path, DeadLetterReason.MailboxFull, null); // cannot happen: the buffer is bounded by the capacity
                }
                if (_stopping) PassivateLocked(slot, PassivationReason.Shutdown);
            }
            else
            {
                _slots.Remove(slot.Key);
                if (slot.LruNode is not null) { _lru.Remove(slot.LruNode); slot.LruNode = null; } // stopped by itself, never passivated
                if (_stopping && _slots.Count == 0) CompleteStopLocked();
            }
        }
        passivationDone.TrySetResult();
    }

    private bool IsCurrentLocked(Slot slot, ActorCell<TMessage> cell) =>
        ReferenceEquals(slot.Cell, cell) && _slots.TryGetValue(slot.Key, out var current) && ReferenceEquals(current, slot);

    private static string PathName(TKey key)
    {
        var text = key.ToString();
        return string.IsNullOrEmpty(text) ? "%00" : Uri.EscapeDataString(text);
    }

    string ITopLevel.Name => Name;

    /// <summary>One key's entity: the current incarnation plus passivation bookkeeping.</summary>
    private sealed class Slot(EntityRegion<TKey, TMessage> region, TKey key) : IDeathWatcher
    {
        public TKey Key { get; } = key;
        public ActorCell<TMessage> Cell = null!;
        // Position in the LRU list; null while passivating.
        public LinkedListNode<Slot>? LruNode;
        public DateTimeOffset LastActive;
        public bool Passivating;
        // Why the current incarnation is passivating; null when it stopped by itself.
        public PassivationReason? Reason;
        // Messages that arrived while passivating, for the next incarnation.
        public readonly Queue<TMessage> Buffer = new();
        public TaskCompletionSource PassivationDone = new();
        public List<TaskCompletionSource<object?>>? HandoffWaiters;

        public void OnWatchedTerminated(IActorRef actor)
        {
            if (actor is ActorCell<TMessage> cell) region.OnEntityTerminated(this, cell);
        }
    }

    /// <summary>A stable reference to one key's entity, routing through the region.</summary>
    private sealed class EntityRef(EntityRegion<TKey, TMessage> region, TKey key) : IActorRef<TMessage>
    {
        public ActorPath Path { get; } = region.Path.Child(PathName(key));

        public ActorSystem System => region._system;

        public bool Tell(TMessage message) => region.Tell(key, message);

        public ValueTask<bool> TellAsync(TMessage message, CancellationToken cancellationToken = default) =>
            region.TellAsync(key, message, cancellationToken);

        public override string ToString() => Path.ToString();
    }
}
