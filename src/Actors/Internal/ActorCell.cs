using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Vigil.Actors.Internal;

/// <summary>
/// A live actor: bounded mailbox, system-message queue, the processing loop and supervision.
/// The cell is also the actor's reference (it implements <see cref="IActorRef{TMessage}"/>).
/// </summary>
/// <remarks>
/// Mailbox design: one unbounded single-reader channel carries user messages and "wake" markers;
/// the bound is a semaphore of <c>capacity</c> permits taken by senders and returned when a message
/// has been handled. System messages live in their own queue and are handled before the next user
/// message; a wake marker lets them interrupt an idle wait without a second waiter (waiting on two
/// channels would leave one pending waiter behind per idle period). Closing = completing the
/// channel: from then on sends fail (dead letters) and the loop drains what was accepted before.
/// </remarks>
internal sealed class ActorCell<TMessage> : ActorCellBase, IActorRef<TMessage>, IDeathWatcher
{
    private readonly Func<Actor<TMessage>> _factory;
    private readonly SupervisionStrategy _supervision;
    private readonly Channel<Envelope> _mailbox =
        Channel.CreateUnbounded<Envelope>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    // Free mailbox slots; a sender takes one, the loop returns it after handling the message.
    private readonly SemaphoreSlim _room;
    // Cancelled when the mailbox closes, waking senders waiting for room so they dead-letter.
    private readonly CancellationTokenSource _closedCts = new();
    private readonly ConcurrentQueue<SystemMessage> _system = new();
    // Guards _systemClosed against PostSystem so no system message is queued after the final sweep.
    private readonly object _systemGate = new();
    private bool _systemClosed;
    // Set by the first StopRequest so a restart backoff can be abandoned.
    private readonly TaskCompletionSource _stopSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // The entity's handed-out state, completed at termination (null when not passivated).
    private readonly TaskCompletionSource<object?> _handoff = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ActorContext<TMessage> _context;

    // --- loop-owned state (touched only by the loop) ---
    // The current incarnation; null between a restart decision and the re-creation, or after a failed start.
    private Actor<TMessage>? _actor;
    // Actors this one watches (reference identity).
    private readonly HashSet<IActorRef> _watching = new(ReferenceEqualityComparer.Instance);
    // Pending ScheduleOnce timers of the current incarnation; guarded by itself.
    private readonly HashSet<ITimer> _timers = new();
    // Consecutive restarts and when the last one happened (for backoff and its reset).
    private int _restarts;
    private DateTimeOffset _lastRestartAt;
    // True once stopping: the mailbox will be closed and drained.
    private bool _stopping;
    // True when what remains in the mailbox goes to dead letters instead of the actor (Stop/Escalate).
    private bool _discardRemaining;
    private PassivationReason? _passivation;
    // Restart backoff: the armed timer and its completion.
    private ITimer? _backoffTimer;
    private TaskCompletionSource? _backoffDue;
    private volatile bool _closed;
    // Whether the loop holds an "active" unit in the system's WorkTracker: Active (running or about
    // to run), Parked (waiting for mail; the next writer hands it a unit), Suspended (waiting for
    // the restart backoff; the timer or a stop request hands it a unit), Dead (terminated).
    private int _activity = Active;
    private const int Active = 0, Parked = 1, Suspended = 2, Dead = 3;

    public ActorCell(ActorSystem system, ActorCellBase? parent, ActorPath path, Func<Actor<TMessage>> factory, int capacity, SupervisionStrategy supervision)
        : base(system, parent, path)
    {
        _factory = factory;
        _supervision = supervision;
        Capacity = capacity;
        _room = new SemaphoreSlim(capacity);
        _context = new ActorContext<TMessage>(this);
    }

    public int Capacity { get; }

    /// <summary>True once the mailbox no longer accepts messages (stopping or stopped).</summary>
    public bool IsClosed => _closed;

    /// <summary>The state the entity handed out when passivated (null otherwise), once terminated.</summary>
    public Task<object?> Handoff => _handoff.Task;

    /// <summary>Starts the loop; the caller has registered the cell in its parent or the system.</summary>
    public void Start()
    {
        System.Work.Increment(); // the loop's active unit, released when it parks or terminates
        _ = Task.Run(RunAsync);
    }

    // ---------------- sending ----------------

    public bool Tell(TMessage message)
    {
        if (_closed) { ReportDeadLetter(message, DeadLetterReason.ActorStopped); return false; }
        if (!_room.Wait(0)) { ReportDeadLetter(message, DeadLetterReason.MailboxFull); return false; }
        return WriteReserved(message);
    }

    public ValueTask<bool> TellAsync(TMessage message, CancellationToken cancellationToken = default)
    {
        if (_closed) { ReportDeadLetter(message, DeadLetterReason.ActorStopped); return ValueTask.FromResult(false); }
        if (_room.Wait(0)) return ValueTask.FromResult(WriteReserved(message));
        return TellSlowAsync(message, cancellationToken);
    }

    private async ValueTask<bool> TellSlowAsync(TMessage message, CancellationToken cancellationToken)
    {
        if (!await ReserveAsync(cancellationToken).ConfigureAwait(false))
        {
            ReportDeadLetter(message, DeadLetterReason.ActorStopped);
            return false;
        }
        return WriteReserved(message);
    }

    /// <summary>Takes a mailbox slot without waiting.</summary>
    public bool TryReserve() => !_closed && _room.Wait(0);

    /// <summary>Waits for a mailbox slot; false when the mailbox closed meanwhile.</summary>
    public async Task<bool> ReserveAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closedCts.Token);
        try
        {
            await _room.WaitAsync(linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Returns a slot taken by <see cref="TryReserve"/>/<see cref="ReserveAsync"/> that will not be used.</summary>
    public void ReleaseReservation() => _room.Release();

    /// <summary>Writes a message for which a slot is held; dead-letters it when the mailbox closed meanwhile.</summary>
    public bool WriteReserved(TMessage message)
    {
        Unpark(); // before the write, so the loop never runs on mail nobody has counted
        if (_mailbox.Writer.TryWrite(new Envelope(message, isWake: false))) return true;
        _room.Release();
        ReportDeadLetter(message, DeadLetterReason.ActorStopped);
        return false;
    }

    public override bool PostSystem(SystemMessage message)
    {
        lock (_systemGate)
        {
            if (_systemClosed) return false;
            _system.Enqueue(message);
        }
        Unpark();
        _mailbox.Writer.TryWrite(Envelope.Wake); // fails only while draining, when the loop is not idle
        if (message is StopRequest)
        {
            // A stop ends a restart backoff early; whoever wakes a suspended loop hands it its unit.
            if (Interlocked.CompareExchange(ref _activity, Active, Suspended) == Suspended) System.Work.Increment();
            _stopSignal.TrySetResult();
        }
        return true;
    }

    /// <summary>
    /// Called by every writer just before it writes: the first to find the loop parked hands it an
    /// active unit before the mail that wakes it exists, so the system never looks idle while mail
    /// waits. Whoever moves Parked→Active (a writer, or the loop itself on waking, see
    /// <see cref="WaitForMailAsync"/>) adds the unit, so exactly one is added per park.
    /// </summary>
    private void Unpark()
    {
        if (Volatile.Read(ref _activity) == Parked && Interlocked.CompareExchange(ref _activity, Active, Parked) == Parked)
            System.Work.Increment();
    }

    /// <summary>Waits for mail, releasing the loop's active unit while parked (see <see cref="Unpark"/>).</summary>
    private async ValueTask<bool> WaitForMailAsync()
    {
        var wait = _mailbox.Reader.WaitToReadAsync();
        if (wait.IsCompleted) return await wait.ConfigureAwait(false);
        Interlocked.Exchange(ref _activity, Parked); // full fence: the re-check below sees any earlier write
        if (wait.IsCompleted || !_system.IsEmpty)
        {
            // Mail came in between: stay active. If a writer already un-parked us it added a unit we do not need.
            if (Interlocked.CompareExchange(ref _activity, Active, Parked) != Parked) System.Work.Decrement();
        }
        else
        {
            System.Work.Decrement();
        }
        var more = await wait.ConfigureAwait(false);
        // Woken by a writer that found us not yet parked (it wrote after our re-check): claim the unit ourselves.
        if (Interlocked.CompareExchange(ref _activity, Active, Parked) == Parked) System.Work.Increment();
        return more;
    }

    void IDeathWatcher.OnWatchedTerminated(IActorRef actor) => PostSystem(new WatchedTerminated(actor));

    private void ReportDeadLetter(object? message, DeadLetterReason reason, Exception? error = null) =>
        System.PublishDeadLetter(message, Path, reason, error);

    // ---------------- context operations (called from the actor's own handlers) ----------------

    public IActorRef<TChild> SpawnChild<TChild>(string name, Func<Actor<TChild>> factory, ActorOptions? options)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var child = System.CreateCell(this, Path.Child(name), factory, options);
        AddChild(child);
        child.Start();
        return child;
    }

    public void Watch(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is not IWatchable watchable)
            throw new ArgumentException($"{actor.Path} cannot be watched: it is not a local actor.", nameof(actor));
        if (_watching.Add(actor)) watchable.AddWatcher(this);
    }

    public void Unwatch(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (_watching.Remove(actor) && actor is IWatchable watchable) watchable.RemoveWatcher(this);
    }

    public void StopChild(IActorRef child)
    {
        if (child is not ActorCellBase cell || !IsChild(cell))
            throw new ArgumentException($"{child.Path} is not a child of {Path}.", nameof(child));
        cell.RequestStop(null);
    }

    public IDisposable ScheduleOnce(TimeSpan delay, TMessage message)
    {
        var scheduled = new ScheduledTell(this, message);
        var timer = System.Time.CreateTimer(static s => ((ScheduledTell)s!).Fire(), scheduled, delay, Timeout.InfiniteTimeSpan);
        scheduled.Timer = timer;
        lock (_timers) _timers.Add(timer);
        return scheduled;
    }

    private void CancelTimers()
    {
        ITimer[] timers;
        lock (_timers) { timers = _timers.ToArray(); _timers.Clear(); }
        foreach (var t in timers) t.Dispose();
    }

    // ---------------- the loop ----------------

    private async Task RunAsync()
    {
        try
        {
            await StartIncarnationAsync().ConfigureAwait(false);
            while (true)
            {
                if (_backoffDue is not null)
                {
                    await AwaitBackoffThenRestartAsync().ConfigureAwait(false);
                    continue;
                }
                if (_system.TryDequeue(out var sys))
                {
                    await HandleSystemAsync(sys).ConfigureAwait(false);
                    continue;
                }
                if (_stopping && !_closed) CloseMailbox();
                if (_mailbox.Reader.TryRead(out var envelope))
                {
                    if (!envelope.IsWake) await HandleUserAsync(envelope.Message).ConfigureAwait(false);
                    continue;
                }
                if (!await WaitForMailAsync().ConfigureAwait(false))
                {
                    // Closed and drained; a system message may still have slipped in before the close.
                    if (_system.IsEmpty) break;
                }
            }
            await TerminateAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A bug in the runtime itself: log it and terminate so waiters do not hang.
            ActorLog.HookFailed(Logger, ex, Path, "the runtime loop");
            Volatile.Write(ref _activity, Dead);
            CompleteTermination();
            System.Work.Decrement();
        }
    }

    private async Task HandleUserAsync(TMessage message)
    {
        try
        {
            if (_actor is null || _discardRemaining)
            {
                ReportDeadLetter(message, DeadLetterReason.DiscardedOnStop);
                return;
            }
            try
            {
                await _actor.InvokeReceiveAsync(message).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                await HandleFailureAsync(ex, message, hasMessage: true).ConfigureAwait(false);
            }
        }
        finally
        {
            _room.Release();
        }
    }

    private async Task HandleSystemAsync(SystemMessage message)
    {
        switch (message)
        {
            case StopRequest stop:
                BeginStopping(discard: _actor is null);
                _passivation ??= stop.Passivation;
                break;
            case WatchedTerminated terminated:
                if (_watching.Remove(terminated.Actor) && _actor is not null && !_discardRemaining)
                {
                    try { await _actor.InvokeOnTerminatedAsync(new Terminated(terminated.Actor)).ConfigureAwait(false); }
                    catch (Exception ex) { await HandleFailureAsync(ex, default, hasMessage: false, typeof(Terminated)).ConfigureAwait(false); }
                }
                break;
            case ChildFailed failed:
                // No IsChild check: the child may already have terminated (and left) by the time this runs.
                if (!_discardRemaining)
                    await HandleFailureAsync(new ActorEscalationException(failed.Child.Path, failed.Error), default, hasMessage: false, typeof(ChildFailed)).ConfigureAwait(false);
                break;
        }
    }

    private void BeginStopping(bool discard)
    {
        _stopping = true;
        _discardRemaining |= discard;
    }

    private void CloseMailbox()
    {
        _closed = true;
        _mailbox.Writer.TryComplete();
        _closedCts.Cancel();
    }

    private async Task StartIncarnationAsync()
    {
        try
        {
            var actor = _factory() ?? throw new InvalidOperationException($"The factory of {Path} returned null.");
            actor.Attach(_context);
            _actor = actor;
            await actor.InvokePreStartAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await HandleFailureAsync(ex, default, hasMessage: false, typeof(Actor<TMessage>)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Applies the supervision decision. The restart timer is armed before the failed message is
    /// published to dead letters, so an observer that waits for the dead letter and then advances a
    /// manual clock always finds the timer in place.
    /// </summary>
    private async Task HandleFailureAsync(Exception error, TMessage? message, bool hasMessage, Type? failedOn = null)
    {
        var directive = _supervision.Decide(error);
        if (directive == SupervisionDecision.Resume && _actor is null) directive = SupervisionDecision.Restart; // nothing to resume
        if (_stopping && directive == SupervisionDecision.Restart) directive = SupervisionDecision.Stop;      // never re-create while stopping
        var messageType = hasMessage ? message?.GetType().Name ?? typeof(TMessage).Name : (failedOn ?? typeof(TMessage)).Name;
        ActorLog.ActorFailed(Logger, error, Path, messageType, directive);

        if (directive == SupervisionDecision.Restart)
        {
            var now = System.Time.GetUtcNow();
            if (_restarts > 0 && now - _lastRestartAt >= _supervision.ResetAfter) _restarts = 0;
            if (_supervision.MaxRestarts is { } max && _restarts >= max)
            {
                ActorLog.RestartLimitReached(Logger, Path, _restarts);
                directive = SupervisionDecision.Stop;
            }
            else
            {
                _restarts++;
                var delay = _supervision.BackoffFor(_restarts);
                ActorLog.Restarting(Logger, Path, _restarts, delay);
                await EndIncarnationAsync().ConfigureAwait(false);
                ArmBackoff(delay);
            }
        }

        if (directive is SupervisionDecision.Stop or SupervisionDecision.Escalate)
        {
            BeginStopping(discard: true);
            if (directive == SupervisionDecision.Escalate)
            {
                if (Parent is null || !Parent.PostSystem(new ChildFailed(this, error)))
                    ActorLog.EscalatedToRoot(Logger, error, Path);
            }
        }

        if (hasMessage) ReportDeadLetter(message, DeadLetterReason.HandlerFailed, error);
    }

    /// <summary>Ends the current incarnation before a restart: timers, PostStop, children.</summary>
    private async Task EndIncarnationAsync()
    {
        CancelTimers();
        await StopChildrenAsync().ConfigureAwait(false);
        if (_actor is { } old)
        {
            _actor = null;
            try { await old.InvokePostStopAsync().ConfigureAwait(false); }
            catch (Exception ex) { ActorLog.HookFailed(Logger, ex, Path, "PostStopAsync"); }
        }
    }

    private void ArmBackoff(TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            _backoffDue = new TaskCompletionSource();
            _backoffDue.SetResult(); // restart at once, staying active
            return;
        }
        _backoffDue = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _activity, Suspended);
        _backoffTimer = System.Time.CreateTimer(static s => ((ActorCell<TMessage>)s!).OnBackoffDue(), this, delay, Timeout.InfiniteTimeSpan);
    }

    // Timer callback (on a manual clock: inside Advance). Hands the loop its active unit before
    // waking it, so the restart counts as work from the moment the timer fires.
    private void OnBackoffDue()
    {
        if (Interlocked.CompareExchange(ref _activity, Active, Suspended) == Suspended) System.Work.Increment();
        _backoffDue?.TrySetResult();
    }

    private async Task AwaitBackoffThenRestartAsync()
    {
        var due = _backoffDue!;
        if (_backoffTimer is not null) // null: zero backoff, restart at once without suspending
        {
            // We still hold our unit. A stop requested before we suspended could not hand us one: keep
            // ours. Otherwise release it: if the timer or a stop already woke us, they handed us one
            // (so we now hold exactly that); if not, whichever wakes us will.
            if (!(_stopSignal.Task.IsCompleted && Interlocked.CompareExchange(ref _activity, Active, Suspended) == Suspended))
                System.Work.Decrement();
            await Task.WhenAny(due.Task, _stopSignal.Task).ConfigureAwait(false);
        }
        _backoffTimer?.Dispose();
        _backoffTimer = null;
        _backoffDue = null;
        if (_stopSignal.Task.IsCompleted)
        {
            // Stopped during the backoff: no new incarnation; queued messages go to dead letters.
            BeginStopping(discard: true);
            return;
        }
        _lastRestartAt = System.Time.GetUtcNow();
        await StartIncarnationAsync().ConfigureAwait(false);
    }

    private async Task TerminateAsync()
    {
        CloseChildren();
        CancelTimers();
        await StopChildrenAsync().ConfigureAwait(false);
        object? handoff = null;
        if (_actor is { } actor)
        {
            if (_passivation is { } reason)
            {
                try { handoff = await actor.InvokeOnPassivateAsync(reason).ConfigureAwait(false); }
                catch (Exception ex) { ActorLog.HookFailed(Logger, ex, Path, "OnPassivateAsync"); }
            }
            try { await actor.InvokePostStopAsync().ConfigureAwait(false); }
            catch (Exception ex) { ActorLog.HookFailed(Logger, ex, Path, "PostStopAsync"); }
            _actor = null;
        }
        lock (_systemGate) _systemClosed = true;
        while (_system.TryDequeue(out _)) { } // notifications for an actor that is gone
        foreach (var watched in _watching)
            if (watched is IWatchable w) w.RemoveWatcher(this);
        _watching.Clear();
        _handoff.TrySetResult(handoff);
        Volatile.Write(ref _activity, Dead);
        CompleteTermination();       // notifies watchers, handing them units, before we release ours
        System.Work.Decrement();
    }

    /// <summary>A mailbox entry: a user message, or a marker that wakes the loop for system messages.</summary>
    private readonly struct Envelope(TMessage message, bool isWake)
    {
        public static Envelope Wake => new(default!, isWake: true);
        public TMessage Message { get; } = message;
        public bool IsWake { get; } = isWake;
    }

    /// <summary>A pending <see cref="ActorContext{TMessage}.ScheduleOnce"/>; disposing cancels it.</summary>
    private sealed class ScheduledTell(ActorCell<TMessage> cell, TMessage message) : IDisposable
    {
        public ITimer? Timer;

        public void Fire()
        {
            if (Timer is { } t) lock (cell._timers) cell._timers.Remove(t);
            cell.Tell(message);
        }

        public void Dispose()
        {
            if (Timer is not { } t) return;
            lock (cell._timers) cell._timers.Remove(t);
            t.Dispose();
        }
    }
}
