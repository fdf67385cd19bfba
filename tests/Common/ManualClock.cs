namespace Vigil.Tests.Common;

/// <summary>
/// A test <see cref="TimeProvider"/> for code outside Akka (the ONNX batcher, cluster leases, replay
/// pacing; Akka code runs on Akka's TestScheduler instead) whose time moves only when a test calls <see cref="Advance"/>.
/// Timers created from it fire synchronously, in due-time order, on the thread that advances the
/// clock, so timed behaviour (GroupedWithin, idle expiry, Ask timeouts, backoff) is tested
/// deterministically without sleeps.
/// </summary>
internal sealed class ManualClock : TimeProvider
{
    private readonly object _gate = new();
    // Live timers; a timer is removed when disposed or when it fires without a period.
    private readonly List<ManualTimer> _timers = new();
    // Current virtual time.
    private DateTimeOffset _now;
    // Increments per timer so that timers due at the same instant fire in creation order.
    private long _sequence;

    /// <summary>Creates a clock starting at <paramref name="start"/> (default 2026-01-01T00:00Z).</summary>
    public ManualClock(DateTimeOffset? start = null) =>
        _now = start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() { lock (_gate) return _now; }

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override long GetTimestamp() { lock (_gate) return _now.UtcTicks; }

    /// <summary>Number of timers currently scheduled (useful to check that stages release timers).</summary>
    public int ActiveTimerCount { get { lock (_gate) return _timers.Count(t => t.DueAt is not null); } }

    /// <summary>
    /// Moves time forward by <paramref name="delta"/>, firing every timer that falls due on the way,
    /// each at its own due time (so a periodic timer fires once per period crossed).
    /// </summary>
    public void Advance(TimeSpan delta)
    {
        if (delta < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(delta), delta, "A manual clock cannot go backwards.");
        DateTimeOffset target;
        lock (_gate) target = _now + delta;
        while (true)
        {
            ManualTimer? next;
            lock (_gate)
            {
                next = null;
                foreach (var t in _timers)
                    if (t.DueAt is { } due && due <= target &&
                        (next is null || due < next.DueAt || (due == next.DueAt && t.Sequence < next.Sequence)))
                        next = t;
                if (next is null) { _now = target; return; }
                _now = next.DueAt!.Value;
                next.Reschedule();
            }
            next.Fire();
        }
    }

    /// <summary>Advances to an absolute time (no-op when it is in the past).</summary>
    public void AdvanceTo(DateTimeOffset time)
    {
        var now = GetUtcNow();
        if (time > now) Advance(time - now);
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        lock (_gate)
        {
            timer.Sequence = ++_sequence;
            _timers.Add(timer);
            timer.SetLocked(dueTime, period);
        }
        return timer;
    }

    private sealed class ManualTimer(ManualClock clock, TimerCallback callback, object? state) : ITimer
    {
        public long Sequence;
        public DateTimeOffset? DueAt;       // null: not scheduled
        private TimeSpan _period;           // Timeout.InfiniteTimeSpan or zero: one-shot

        public void SetLocked(TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : clock._now + (dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime);
        }

        // Called under the clock's lock just before firing.
        public void Reschedule() =>
            DueAt = _period > TimeSpan.Zero && _period != Timeout.InfiniteTimeSpan ? DueAt + _period : null;

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._gate)
            {
                if (!clock._timers.Contains(this)) return false;
                SetLocked(dueTime, period);
                return true;
            }
        }

        public void Dispose() { lock (clock._gate) { DueAt = null; clock._timers.Remove(this); } }

        public ValueTask DisposeAsync() { Dispose(); return ValueTask.CompletedTask; }
    }
}
