using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;

namespace Vigil.Streams.Stages;

/// <summary>
/// Tumbling (slide = size) or sliding windows by event time, with a watermark for late and
/// out-of-order data (wearables upload in bursts).
/// Policy: the watermark is the largest event time seen minus <c>allowedLateness</c>. A window
/// [start, end) is emitted once the watermark reaches its end, with its elements sorted by event
/// time; so elements up to <c>allowedLateness</c> out of order still land in their window. An
/// element older than that, whose every window has already been emitted, is not silently
/// dropped: it goes to the dead letters with a <see cref="LateElementException"/> (and counts as
/// dead-lettered in the stage's metrics). Windows are aligned to multiples of the slide since
/// the Unix epoch. When upstream completes, every open window is emitted.
/// Emits: closed windows in start order. Backpressures: when closed windows wait to be pulled.
/// Completes: after upstream completed and every open window was emitted.
/// </summary>
internal sealed class EventTimeWindowStage<T>(Outlet<T> upstream, Func<T, DateTimeOffset> eventTime, TimeSpan size, TimeSpan slide,
    TimeSpan allowedLateness, StageRuntime stage) : Outlet<EventTimeWindow<T>>
{
    private readonly SortedDictionary<long, List<(DateTimeOffset Time, long Seq, T Item)>> _open = new();
    private readonly Queue<EventTimeWindow<T>> _ready = new();
    private long _maxEventTicks = long.MinValue;
    private long _closedBefore = long.MinValue; // windows ending at or before this were emitted
    private long _sequence;
    private bool _upstreamDone;

    public override bool TryPull(out EventTimeWindow<T> item)
    {
        while (_ready.Count == 0 && !_upstreamDone && upstream.TryPull(out var element))
        {
            stage.In++;
            Accept(element);
        }
        if (_ready.TryDequeue(out item!)) { stage.Out++; return true; }
        return false;
    }

    public override ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        if (_ready.Count > 0) return new(true);
        if (_upstreamDone) return new(false);
        var wait = upstream.WaitAsync(cancellationToken);
        if (!wait.IsCompleted) return WaitSlowAsync(wait);
        return new(Settle(wait.GetAwaiter().GetResult()));
    }

    private async ValueTask<bool> WaitSlowAsync(ValueTask<bool> wait) => Settle(await wait.ConfigureAwait(false));

    private bool Settle(bool more)
    {
        if (more) return true;
        _upstreamDone = true;
        foreach (var start in _open.Keys.ToList()) Close(start);
        return _ready.Count > 0;
    }

    private void Accept(T element)
    {
        DateTimeOffset time;
        try { time = eventTime(element); }
        catch (Exception e) { stage.Handle(e, element); return; }
        var ticks = time.UtcTicks;
        var accepted = false;
        // Every window containing the element: starts are multiples of the slide in (ticks - size, ticks].
        var lastStart = FloorTo(ticks, slide.Ticks);
        for (var start = lastStart; start > ticks - size.Ticks; start -= slide.Ticks)
        {
            if (start + size.Ticks <= _closedBefore) continue; // already emitted
            if (!_open.TryGetValue(start, out var items)) _open[start] = items = new();
            items.Add((time, _sequence++, element));
            accepted = true;
        }
        if (!accepted)
        {
            stage.DeadLetter(element, new LateElementException(time, new DateTimeOffset(Math.Max(_maxEventTicks - allowedLateness.Ticks, DateTimeOffset.MinValue.UtcTicks), TimeSpan.Zero)));
            return;
        }
        if (ticks > _maxEventTicks)
        {
            _maxEventTicks = ticks;
            var watermark = ticks - allowedLateness.Ticks;
            foreach (var start in _open.Keys.TakeWhile(s => s + size.Ticks <= watermark).ToList()) Close(start);
        }
    }

    private void Close(long start)
    {
        var items = _open[start];
        _open.Remove(start);
        _closedBefore = Math.Max(_closedBefore, start + size.Ticks);
        items.Sort(static (a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Seq.CompareTo(b.Seq));
        _ready.Enqueue(new EventTimeWindow<T>(new DateTimeOffset(start, TimeSpan.Zero), new DateTimeOffset(start + size.Ticks, TimeSpan.Zero),
            items.Select(i => i.Item).ToArray()));
    }

    private static long FloorTo(long ticks, long step)
    {
        var r = ticks % step;
        return r < 0 ? ticks - r - step : ticks - r;
    }

    public override void Cancel() => upstream.Cancel();
}
