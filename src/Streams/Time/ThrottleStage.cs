using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;

namespace Vigil.Streams.Stages;

/// <summary>
/// Limits the rate to <c>elements</c> per <c>per</c> with bursts of up to <c>maximumBurst</c>
/// (a token bucket refilled on the materializer's clock). Shapes, never drops.
/// Emits: when a token is available and upstream has an element. Backpressures: while no token
/// is available (upstream is not pulled). Completes: when upstream completes.
/// </summary>
internal sealed class ThrottleStage<T> : Outlet<T>
{
    private readonly Outlet<T> _upstream;
    private readonly TimeProvider _clock;
    private readonly StageRuntime _stage;
    private readonly double _tokensPerTick;
    private readonly double _burst;
    private readonly ITimer _timer;
    private TaskCompletionSource<bool>? _tokenSignal;
    private double _tokens;
    private long _lastRefill;

    public ThrottleStage(Outlet<T> upstream, int elements, TimeSpan per, int maximumBurst, TimeProvider clock, StageRuntime stage)
    {
        _upstream = upstream;
        _clock = clock;
        _stage = stage;
        _tokensPerTick = elements / (double)per.Ticks;
        _burst = Math.Max(1, maximumBurst);
        _tokens = _burst;
        _lastRefill = clock.GetTimestamp();
        _timer = clock.CreateTimer(static s => ((ThrottleStage<T>)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer() => Signal.Set(Interlocked.Exchange(ref _tokenSignal, null));

    private void Refill()
    {
        var now = _clock.GetTimestamp();
        var elapsedTicks = (now - _lastRefill) * (double)TimeSpan.TicksPerSecond / _clock.TimestampFrequency;
        _lastRefill = now;
        _tokens = Math.Min(_burst, _tokens + elapsedTicks * _tokensPerTick);
    }

    public override bool TryPull(out T item)
    {
        if (_tokens < 1) Refill();
        if (_tokens >= 1 && _upstream.TryPull(out item))
        {
            _tokens -= 1;
            _stage.In++;
            _stage.Out++;
            return true;
        }
        item = default!;
        return false;
    }

    public override ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        Refill();
        if (_tokens >= 1) return _upstream.WaitAsync(cancellationToken);
        var signal = new TaskCompletionSource<bool>();
        Volatile.Write(ref _tokenSignal, signal);
        var wait = TimeSpan.FromTicks((long)Math.Ceiling((1 - _tokens) / _tokensPerTick));
        _timer.Change(wait, Timeout.InfiniteTimeSpan);
        return new(signal.Task.WaitAsync(cancellationToken));
    }

    public override void Cancel()
    {
        _timer.Dispose();
        _upstream.Cancel();
    }
}
